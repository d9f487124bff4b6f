package io.pinhole.redirect;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RedirectServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(RedirectServerApplication.class, args);
    }
}
