package dev.rankcluster.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RankServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(RankServerApplication.class, args);
    }
}
