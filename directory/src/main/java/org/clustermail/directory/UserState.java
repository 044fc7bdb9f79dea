package org.clustermail.directory;

/** Whether a user receives mail and may log on. */
public enum UserState {
    ACTIVE,
    /** Mail is refused (SMTP 550 5.2.1) and logons fail; the mailbox is kept. */
    DISABLED
}
