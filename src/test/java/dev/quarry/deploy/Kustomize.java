package dev.quarry.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset of Kustomize that
 * k8s/ uses: {@code resources} (files and directories), {@code patches} (JSON 6902 operations with a
 * target, or strategic-merge documents), {@code namespace} and {@code images}. Any other field fails,
 * so nothing a kustomization says is silently left out of what the tests check.
 */
final class Kustomize {

    static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "patches", "namespace", "images");

    private Kustomize() {
    }

    /** The resources the kustomization in {@code directory} renders to, in order. */
    static List<ObjectNode> build(Path directory) {
        JsonNode kustomization = read(directory.resolve("kustomization.yaml")).get(0);
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!SUPPORTED.contains(field)) {
                throw new IllegalArgumentException(directory + "/kustomization.yaml: '" + field
                        + "' is not rendered by this test's Kustomize; extend Kustomize.java or use the supported fields " + SUPPORTED);
            }
        });
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path path = directory.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(build(path));
            } else {
                read(path).forEach(document -> resources.add((ObjectNode) document));
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            JsonNode body = document(
                    patch.has("path") ? readString(directory.resolve(patch.get("path").asText())) : patch.get("patch").asText());
            JsonNode target = patch.path("target");
            if (body.isArray()) {
                List<ObjectNode> matched = select(resources, target.path("kind").asText(null), target.path("name").asText(null));
                for (ObjectNode resource : matched) {
                    body.forEach(operation -> JsonPatch.apply(resource, operation));
                }
            } else {
                String kind = target.path("kind").asText(body.path("kind").asText(null));
                String name = target.path("name").asText(body.path("metadata").path("name").asText(null));
                for (ObjectNode resource : select(resources, kind, name)) {
                    merge(resource, (ObjectNode) body);
                }
            }
        }
        if (kustomization.has("namespace")) {
            resources
                    .forEach(resource -> ((ObjectNode) resource.get("metadata")).put("namespace", kustomization.get("namespace").asText()));
        }
        for (JsonNode image : kustomization.path("images")) {
            resources.forEach(resource -> retag(resource, image));
        }
        return resources;
    }

    static List<JsonNode> read(Path file) {
        return parse(readString(file));
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One YAML document, which may be a list (a JSON 6902 patch). */
    private static JsonNode document(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents of a multi-document YAML stream (each a resource; a root-level list would be taken apart). */
    static List<JsonNode> parse(String yaml) {
        try {
            List<JsonNode> documents = new ArrayList<>();
            for (Iterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml); it.hasNext();) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ObjectNode> select(List<ObjectNode> resources, String kind, String name) {
        List<ObjectNode> matched = resources.stream()
                .filter(resource -> kind == null || kind.equals(resource.path("kind").asText()))
                .filter(resource -> name == null || name.equals(resource.path("metadata").path("name").asText()))
                .toList();
        if (matched.isEmpty()) {
            throw new IllegalArgumentException("a patch targets " + kind + "/" + name + ", which no resource is");
        }
        return matched;
    }

    /** Strategic merge as Kustomize does it for these kinds: maps merge, lists of named maps merge by name, null deletes. */
    private static void merge(ObjectNode into, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            JsonNode current = into.get(field.getKey());
            JsonNode value = field.getValue();
            if (value.isNull()) {
                into.remove(field.getKey());
            } else if (current instanceof ObjectNode currentObject && value instanceof ObjectNode valueObject) {
                merge(currentObject, valueObject);
            } else if (current instanceof ArrayNode currentList && value instanceof ArrayNode valueList && namedMaps(currentList)
                    && namedMaps(valueList)) {
                for (JsonNode element : valueList) {
                    ObjectNode existing = null;
                    for (JsonNode candidate : currentList) {
                        if (candidate.get("name").equals(element.get("name"))) {
                            existing = (ObjectNode) candidate;
                        }
                    }
                    if (existing == null) {
                        currentList.add(element.deepCopy());
                    } else {
                        merge(existing, (ObjectNode) element);
                    }
                }
            } else {
                into.set(field.getKey(), value.deepCopy());
            }
        }
    }

    private static boolean namedMaps(ArrayNode list) {
        for (JsonNode element : list) {
            if (!element.isObject() || !element.has("name")) {
                return false;
            }
        }
        return true;
    }

    /** The {@code images} transformer: every container whose image is {@code name} gets the new name and tag. */
    private static void retag(JsonNode node, JsonNode image) {
        if (node.isObject()) {
            for (String lists : List.of("containers", "initContainers")) {
                for (JsonNode container : node.path(lists)) {
                    String current = container.path("image").asText("");
                    int slash = current.lastIndexOf('/');
                    int colon = current.indexOf(':', slash + 1);
                    String name = colon < 0 ? current : current.substring(0, colon);
                    String tag = colon < 0 ? null : current.substring(colon + 1);
                    if (name.equals(image.get("name").asText())) {
                        String newName = image.path("newName").asText(name);
                        String newTag = image.path("newTag").asText(tag);
                        ((ObjectNode) container).put("image", newTag == null ? newName : newName + ":" + newTag);
                    }
                }
            }
            node.forEach(child -> retag(child, image));
        } else if (node.isArray()) {
            node.forEach(child -> retag(child, image));
        }
    }

    /** RFC 6902 add, replace and remove on JSON pointers, the operations the overlays use. */
    static final class JsonPatch {

        private JsonPatch() {
        }

        static void apply(ObjectNode document, JsonNode operation) {
            String op = operation.get("op").asText();
            String path = operation.get("path").asText();
            List<String> tokens = new ArrayList<>();
            for (String token : path.substring(1).split("/", -1)) {
                tokens.add(token.replace("~1", "/").replace("~0", "~"));
            }
            JsonNode parent = document;
            for (String token : tokens.subList(0, tokens.size() - 1)) {
                parent = parent.isArray() ? parent.get(Integer.parseInt(token)) : parent.get(token);
                if (parent == null) {
                    throw new IllegalArgumentException("patch path " + path + " does not exist in " + name(document));
                }
            }
            String last = tokens.get(tokens.size() - 1);
            JsonNode value = operation.get("value");
            if (parent instanceof ObjectNode object) {
                if (!op.equals("add") && !object.has(last)) {
                    throw new IllegalArgumentException(op + " " + path + ": no such field in " + name(document));
                }
                switch (op) {
                    case "add", "replace" -> object.set(last, value.deepCopy());
                    case "remove" -> object.remove(last);
                    default -> throw new IllegalArgumentException("unsupported patch operation " + op);
                }
            } else if (parent instanceof ArrayNode array) {
                int index = last.equals("-") ? array.size() : Integer.parseInt(last);
                switch (op) {
                    case "add" -> array.insert(index, value.deepCopy());
                    case "replace" -> array.set(index, value.deepCopy());
                    case "remove" -> array.remove(index);
                    default -> throw new IllegalArgumentException("unsupported patch operation " + op);
                }
            } else {
                throw new IllegalArgumentException("patch path " + path + " goes through a scalar in " + name(document));
            }
        }

        private static String name(JsonNode document) {
            return document.path("kind").asText() + "/" + document.path("metadata").path("name").asText();
        }
    }
}
