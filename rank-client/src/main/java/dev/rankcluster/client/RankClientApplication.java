package dev.rankcluster.client;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RankClientApplication {

    public static void main(String[] args) {
        SpringApplication.run(RankClientApplication.class, args);
    }
}
