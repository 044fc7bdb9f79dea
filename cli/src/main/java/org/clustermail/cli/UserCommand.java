package org.clustermail.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserInfo;
import org.clustermail.directory.UserLocation;
import org.clustermail.directory.UserRecord;
import org.clustermail.directory.UserState;
import org.clustermail.directory.sql.SqlDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clustermail user add|passwd|info|list|disable|enable|remove}: the users of the directory. */
@Command(name = "user", description = "Manage users.", mixinStandardHelpOptions = true)
final class UserCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "add", description = "Create a user (password from a prompt or --password-stdin).",
            mixinStandardHelpOptions = true)
    int add(@Mixin DirectoryAccess dir, @Parameters(paramLabel = "ADDRESS") String address,
            @Option(names = "--password-stdin", description = "read the password from the first line of stdin")
            boolean stdin,
            @Option(names = "--name", paramLabel = "NAME", description = "display name") String name) {
        MailAddress a = MailAddress.parse(address);
        char[] pw = PasswordInput.read(stdin, root().stdin);
        try (DirectoryService s = dir.open()) {
            UserRecord r = s.admin().addUser(a, pw);
            if (name != null) {
                s.admin().setInfo(a, UserInfo.EMPTY.withDisplayName(name));
            }
            UserLocation l = r.location();
            out().println("added " + a + " (serial " + l.serial() + ", primary " + l.primary() + ", secondary "
                    + l.secondary().map(Object::toString).orElse("none") + ")");
        } finally {
            Arrays.fill(pw, '\0');
        }
        return 0;
    }

    @Command(name = "passwd", description = "Set a user's password.", mixinStandardHelpOptions = true)
    int passwd(@Mixin DirectoryAccess dir, @Parameters(paramLabel = "ADDRESS") String address,
               @Option(names = "--password-stdin", description = "read the password from the first line of stdin")
               boolean stdin) {
        MailAddress a = MailAddress.parse(address);
        char[] pw = PasswordInput.read(stdin, root().stdin);
        try (DirectoryService s = dir.open()) {
            s.admin().setPassword(a, pw);
            out().println("password changed for " + a);
        } finally {
            Arrays.fill(pw, '\0');
        }
        return 0;
    }

    @Command(name = "info", description = "Show a user (location, profile, logons); options edit the profile.",
            mixinStandardHelpOptions = true)
    int info(@Mixin DirectoryAccess dir, @Parameters(paramLabel = "ADDRESS") String address,
             @Option(names = "--name", paramLabel = "NAME", description = "set the display name") String name,
             @Option(names = "--postal", paramLabel = "TEXT", description = "set the postal address") String postal,
             @Option(names = "--phone", paramLabel = "PHONE", description = "set the phone number") String phone,
             @Option(names = "--field", paramLabel = "NAME=VALUE",
                     description = "set a free-form field (empty VALUE removes it); repeatable")
             Map<String, String> fields) {
        MailAddress a = MailAddress.parse(address);
        try (DirectoryService s = dir.open()) {
            SqlDirectory d = s.admin();
            UserRecord r = d.user(a).orElseThrow(() -> new org.clustermail.directory.DirectoryException.NoSuchUser(a));
            UserInfo info = d.info(a);
            UserInfo edited = edit(info, name, postal, phone, fields);
            if (!edited.equals(info)) {
                d.setInfo(a, edited);
            }
            UserInfoPrinter.print(out(), r, edited, d.lastSuccessfulLogon(a), d.recentFailures(a, 5));
        }
        return 0;
    }

    @Command(name = "list", description = "List users, in address order.", mixinStandardHelpOptions = true)
    int list(@Mixin DirectoryAccess dir,
             @Option(names = "--domain", paramLabel = "DOMAIN", description = "only this domain's users") String domain) {
        try (DirectoryService s = dir.open()) {
            PrintWriter out = out();
            s.admin().forEachUser(Optional.ofNullable(domain).map(MailAddress::normaliseDomain),
                    r -> out.println(UserInfoPrinter.line(r)));
        }
        return 0;
    }

    @Command(name = "disable", description = "Refuse the user's mail (550 5.2.1) and logons; keep the mailbox.",
            mixinStandardHelpOptions = true)
    int disable(@Mixin DirectoryAccess dir, @Parameters(paramLabel = "ADDRESS") String address) {
        return setState(dir, address, UserState.DISABLED, "disabled ");
    }

    @Command(name = "enable", description = "Undo disable.", mixinStandardHelpOptions = true)
    int enable(@Mixin DirectoryAccess dir, @Parameters(paramLabel = "ADDRESS") String address) {
        return setState(dir, address, UserState.ACTIVE, "enabled ");
    }

    @Command(name = "remove", description = "Delete a user and its profile (the logon history stays).",
            mixinStandardHelpOptions = true)
    int remove(@Mixin DirectoryAccess dir, @Parameters(paramLabel = "ADDRESS") String address) {
        MailAddress a = MailAddress.parse(address);
        try (DirectoryService s = dir.open()) {
            s.admin().removeUser(a);
            out().println("removed " + a);
        }
        return 0;
    }

    private int setState(DirectoryAccess dir, String address, UserState state, String verb) {
        MailAddress a = MailAddress.parse(address);
        try (DirectoryService s = dir.open()) {
            s.admin().setState(a, state);
            out().println(verb + a);
        }
        return 0;
    }

    private static UserInfo edit(UserInfo info, String name, String postal, String phone, Map<String, String> fields) {
        UserInfo e = info;
        e = name == null ? e : e.withDisplayName(name);
        e = postal == null ? e : e.withPostalAddress(postal);
        e = phone == null ? e : e.withPhone(phone);
        for (Map.Entry<String, String> f : (fields == null ? Map.<String, String>of() : fields).entrySet()) {
            e = e.withField(f.getKey(), f.getValue());
        }
        return e;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private Main root() {
        return (Main) spec.root().userObject();
    }
}
