package io.engage.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} command-line options; unknown options are an error. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    private Args() {
    }

    /** A program's entry: its exit code; 2 for bad arguments, 1 (with the stack trace) for a failure. */
    static void runMain(String program, java.util.function.IntSupplier run) {
        int code;
        try {
            code = run.getAsInt();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            code = 2;
        } catch (RuntimeException e) {
            System.err.println(program + " failed: " + e.getMessage());
            e.printStackTrace();
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    /**
     * @param known option names (without dashes) that take a value
     * @param flags option names that take no value
     */
    static Args parse(String[] argv, Set<String> known, Set<String> flags, String usage) {
        Args args = new Args();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.println(usage);
                System.exit(0);
            }
            if (!arg.startsWith("--")) {
                throw usageError("unexpected argument " + arg, usage);
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                args.values.put(name, value == null ? "true" : value);
            } else if (known.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw usageError("--" + name + " needs a value", usage);
                    }
                    value = argv[++i];
                }
                args.values.put(name, value);
            } else {
                throw usageError("unknown option --" + name, usage);
            }
        }
        return args;
    }

    private static IllegalArgumentException usageError(String message, String usage) {
        return new IllegalArgumentException(message + "\n\n" + usage);
    }

    String get(String name) {
        return values.get(name);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    int getInt(String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, not " + value);
        }
    }
}
