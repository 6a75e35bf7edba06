package dev.rankcluster.systemtests;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * What a walkthrough step's answers look like, as far as they do not change from run to run: the HTTP status
 * lines, the header names (and the content type), and every JSON document with its values, except those that
 * differ on every run (ids, tokens, times, addresses), which only have to be there.
 */
record ShownAnswers(List<Integer> statuses, List<String> headerNames, List<String> contentTypes, List<JsonNode> documents) {

    private static final Set<String> VARYING = Set.of("id", "leaseToken", "joinedAt", "commandId", "executedAt",
            "senderId", "memberId", "address", "senderAddress");
    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/[\\d.]+ (\\d{3})\\b.*");
    private static final Pattern HEADER = Pattern.compile("^([A-Za-z][A-Za-z-]*): *(.*)$");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static ShownAnswers of(String output) {
        List<Integer> statuses = new ArrayList<>();
        List<String> headerNames = new ArrayList<>();
        List<String> contentTypes = new ArrayList<>();
        List<JsonNode> documents = new ArrayList<>();
        for (String line : output.lines().map(String::strip).toList()) {
            Matcher status = STATUS_LINE.matcher(line);
            Matcher header = HEADER.matcher(line);
            if (status.matches()) {
                statuses.add(Integer.parseInt(status.group(1)));
            } else if (line.startsWith("{") || line.startsWith("[")) {
                documents.add(withoutVaryingValues(JSON.readTree(line)));
            } else if (header.matches()) {
                String name = header.group(1).toLowerCase(Locale.ROOT);
                headerNames.add(name);
                if (name.equals("content-type")) {
                    contentTypes.add(header.group(2));
                }
            }
        }
        return new ShownAnswers(statuses, headerNames, contentTypes, documents);
    }

    /** The answers shown in the README, less what an actual answer may add (headers curl shows and it omits). */
    boolean matches(ShownAnswers actual) {
        return statuses.equals(actual.statuses) && actual.headerNames.containsAll(headerNames)
                && actual.contentTypes.containsAll(contentTypes) && documents.equals(actual.documents);
    }

    private static JsonNode withoutVaryingValues(JsonNode node) {
        if (node.isArray()) {
            var array = JSON.createArrayNode();
            node.forEach(element -> array.add(withoutVaryingValues(element)));
            return array;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode object = JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            object.set(field.getKey(), VARYING.contains(field.getKey()) && !field.getValue().isNull()
                    ? StringNode.valueOf("(varies)") : withoutVaryingValues(field.getValue()));
        }
        return object;
    }

    @Override
    public String toString() {
        return "status lines %s, headers %s, content types %s, JSON %s".formatted(statuses, headerNames, contentTypes,
                documents.stream().map(JsonNode::toString).collect(Collectors.joining("\n    ", "\n    ", "")));
    }
}
