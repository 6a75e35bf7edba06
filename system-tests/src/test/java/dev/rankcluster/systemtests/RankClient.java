package dev.rankcluster.systemtests;

import java.net.URI;
import java.util.List;

import dev.rankcluster.model.ExecutedCommand;
import tools.jackson.core.type.TypeReference;

/** A rank client under test: its process, the address it registers with, and the commands it executed. */
record RankClient(JavaProcess process, int port, JsonHttp http) {

    private static final TypeReference<List<ExecutedCommand>> EXECUTED = new TypeReference<>() {
    };

    /** What the server sees: the loopback address the client connects from, and the port it listens on. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /** The client's {@code GET /api/v1/commands}: the last executed deliveries, newest first. */
    List<ExecutedCommand> executedCommands() {
        return http.get(URI.create("http://127.0.0.1:" + port + "/api/v1/commands"), EXECUTED);
    }

    List<ExecutedCommand> executed(String command) {
        return executedCommands().stream().filter(executed -> executed.command().equals(command)).toList();
    }

    boolean executedCommandId(String commandId) {
        return executedCommands().stream().anyMatch(executed -> executed.commandId().equals(commandId));
    }

    @Override
    public String toString() {
        return "client " + address() + " " + process.name();
    }
}
