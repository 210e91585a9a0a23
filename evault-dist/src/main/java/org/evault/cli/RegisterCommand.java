package org.evault.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evault register}: opens an account at the gateway (the paper's registration form). */
@Command(name = "register", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Open an account: user id, password (from $EVAULT_PASSWORD or asked twice), name, address, "
                + "phone and email (asked when missing).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.USAGE_LINE, ExitCodes.UNAVAILABLE_LINE})
final class RegisterCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Option(names = "--name", description = "Your full name.")
    String name;

    @Option(names = "--address", description = "Your postal address.")
    String address;

    @Option(names = "--phone", description = "Your phone number.")
    String phone;

    @Option(names = "--email", description = "Your email address.")
    String email;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String user = options.user();
        GatewayClient gateway = options.client();
        Map<String, String> account = new LinkedHashMap<>();
        account.put("userId", user);
        account.put("name", ClientOptions.askIfMissing(name, "--name", "name: "));
        account.put("address", ClientOptions.askIfMissing(address, "--address", "address: "));
        account.put("phone", ClientOptions.askIfMissing(phone, "--phone", "phone: "));
        account.put("email", ClientOptions.askIfMissing(email, "--email", "email: "));
        char[] password = ClientOptions.password("choose a password for " + user + " (8 characters or more): ", true);
        try {
            account.put("password", new String(password));
        } finally {
            Arrays.fill(password, '\0');
        }
        gateway.register(account);
        spec.commandLine().getOut().printf("registered %s at %s%n", user, gateway.base());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
