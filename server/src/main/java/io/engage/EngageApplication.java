package io.engage;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Engage: self-hostable AI customer-engagement platform. One jar serves the API, the portal and the widget. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class EngageApplication {

    public static void main(String[] args) {
        SpringApplication.run(EngageApplication.class, args);
    }
}
