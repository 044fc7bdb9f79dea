package org.clustermail.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clustermail.directory.LogonAttempt;
import org.clustermail.directory.UserInfo;
import org.clustermail.directory.UserLocation;
import org.clustermail.directory.UserRecord;

/** How the CLI shows users: one line each in lists, a labelled block for {@code user info}. */
final class UserInfoPrinter {

    private UserInfoPrinter() {
    }

    static String line(UserRecord r) {
        UserLocation l = r.location();
        return String.format("%-40s serial=%-8d primary=%s secondary=%s %s", l.address(), l.serial(), l.primary(),
                l.secondary().map(Object::toString).orElse("none"), l.state());
    }

    static void print(PrintWriter out, UserRecord r, UserInfo info, Optional<LogonAttempt> last,
                      List<LogonAttempt> failures) {
        UserLocation l = r.location();
        row(out, "address", l.address().toString());
        row(out, "serial", l.serial() + " (mailbox directory " + l.hashDirectory() + ")");
        row(out, "primary", l.primary().toString());
        row(out, "secondary", l.secondary().map(Object::toString).orElse("none"));
        row(out, "state", l.state().toString());
        row(out, "created", r.created().toString());
        row(out, "name", info.displayName());
        row(out, "postal", info.postalAddress().replace("\n", ", "));
        row(out, "phone", info.phone());
        for (Map.Entry<String, String> f : info.fields().entrySet()) {
            row(out, f.getKey(), f.getValue());
        }
        row(out, "last logon", last.map(UserInfoPrinter::attempt).orElse("never"));
        for (LogonAttempt f : failures) {
            row(out, "failed logon", attempt(f) + " (" + f.reason() + ")");
        }
    }

    private static String attempt(LogonAttempt a) {
        return a.at() + " " + a.protocol() + " from " + a.remoteAddress();
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf("%-13s %s%n", label + ":", value);
    }
}
