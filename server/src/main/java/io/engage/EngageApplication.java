package io.engage;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Engage: self-hostable AI customer-engagement platform. One jar serves the API, the portal and the widget;
 * {@code java -jar engage.jar reencrypt} instead runs the re-encryption command (no web server, no background
 * work) and exits with 0 when it succeeded.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class EngageApplication {

    public static final String REENCRYPT = "reencrypt";

    public static void main(String[] args) {
        if (args.length > 0 && REENCRYPT.equals(args[0])) {
            System.exit(runCommand(REENCRYPT, Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(EngageApplication.class, args);
    }

    /** Runs a one-off command in a context without a web server; returns the process exit code. */
    public static int runCommand(String command, String... args) {
        // as command-line arguments, which outrank the environment: a node's SERVER_PORT or ENGAGE_DEMO must not make
        // the command serve or seed. The web beans stay (the security config needs them) but port -1 starts no server
        Map<String, String> forced = Map.of("engage.command", command, "engage.demo", "false", "server.port", "-1");
        Stream<String> kept = Arrays.stream(args).filter(arg -> forced.keySet().stream()
                .noneMatch(name -> arg.startsWith("--" + name + "=")));
        String[] arguments = Stream.concat(kept, forced.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())).toArray(String[]::new);
        try {
            return SpringApplication.exit(new SpringApplicationBuilder(EngageApplication.class).run(arguments));
        } catch (RuntimeException failed) {
            // Spring Boot has logged why the context failed (e.g. a value sealed under an unknown key)
            return 1;
        }
    }
}
