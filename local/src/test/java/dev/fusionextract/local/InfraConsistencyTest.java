package dev.fusionextract.local;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.events.ObjectEvent;
import dev.fusionextract.ledger.RunState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * infra/ checked against the code: function configuration, Events rules, IAM policies and func.yaml. No
 * terraform binary is available here, so the files are parsed (hcl4j) and the rules checked on what they say.
 * Each rule has a case that feeds it a deliberately broken copy and expects it to catch the break.
 */
class InfraConsistencyTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, ConfigKey.Reader> READERS = Map.of(
            "submit-function", ConfigKey.Reader.SUBMIT, "poll-function", ConfigKey.Reader.POLL, "transfer-function", ConfigKey.Reader.TRANSFER);
    private static final String TEXT = "__text__";
    private static final Pattern BUCKET_CONDITION = Pattern.compile("target\\.bucket\\.name\\s*=\\s*'([^']+)'");

    /** infra/*.tf parsed and merged, after {@code edits} (file → [old, new, old, new, ...]) were applied to the text. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Map<String, List<String>> edits) throws IOException {
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(ROOT.resolve("infra"))) {
            files = list.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
        }
        for (Path file : files) {
            String text = Files.readString(file);
            List<String> changes = edits.getOrDefault(file.getFileName().toString(), List.of());
            for (int i = 0; i + 1 < changes.size(); i += 2) {
                String edited = text.replace(changes.get(i), changes.get(i + 1));
                assertNotEquals(text, edited, "the broken copy must really differ: " + changes.get(i));
                text = edited;
            }
            texts.put(file.getFileName().toString(), text);
            Map<String, Object> parsed;
            java.io.PrintStream out = System.out;
            try {
                System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())); // hcl4j prints "Evaluating Tuple" lines
                parsed = new HCLParser().parse(text, false);
            } catch (com.bertramlabs.plugins.hcl4j.HCLParserException e) {
                throw new AssertionError(file.getFileName() + " is not valid HCL: " + e.getMessage(), e);
            } finally {
                System.setOut(out);
            }
            deepMerge(merged, parsed);
        }
        // hcl4j evaluates what it can (conditions become true or null): rules about expressions read the text.
        merged.put(TEXT, texts);
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((k, v) -> {
            if (v instanceof Map && into.get(k) instanceof Map) {
                deepMerge((Map<String, Object>) into.get(k), (Map<String, Object>) v);
            } else {
                into.put(k, v);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> resources(Map<String, Object> infra, String type) {
        Map<String, Object> resource = (Map<String, Object>) infra.getOrDefault("resource", Map.of());
        return (Map<String, Map<String, Object>>) resource.getOrDefault(type, Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> locals(Map<String, Object> infra) {
        return (Map<String, Object>) infra.getOrDefault("locals", Map.of());
    }

    /** Every rule at once: the list of what is wrong, empty when infra/ and the code agree. */
    static List<String> violations(Map<String, Object> infra) throws IOException {
        List<String> problems = new ArrayList<>();
        functionConfig(infra, problems);
        eventRules(infra, problems);
        policies(infra, problems);
        funcYaml(infra, problems);
        sweepSchedule(infra, problems);
        extractSchedules(infra, problems);
        metricsAndAlarms(infra, problems);
        transferWorkers(infra, problems);
        deployerInputs(infra, problems);
        storageRules(infra, problems);
        leastPrivilege(infra, problems);
        problems.addAll(schemaProblems(YAML.readTree(ROOT.resolve("infra/schema.yaml").toFile()), variableNames(infra)));
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> variableNames(Map<String, Object> infra) {
        return ((Map<String, Object>) infra.getOrDefault("variable", Map.of())).keySet();
    }

    /**
     * Versioning can be Disabled only at creation and Suspended only after Enabled (the SDK's create and update
     * enums), and with versions kept a lifecycle rule must remove old ones; Events rules use the current
     * {@code actions { action {} }} block (provider 8.22: the nested {@code actions} is deprecated).
     */
    static void storageRules(Map<String, Object> infra, List<String> problems) {
        String versioning = block(text(infra, "variables.tf"), "variable \"landing_versioning\"");
        if (!versioning.contains("contains([\"Disabled\", \"Enabled\", \"Suspended\"], var.landing_versioning)")) {
            problems.add("variable landing_versioning must allow exactly Disabled, Enabled and Suspended");
        }
        String landing = block(text(infra, "buckets.tf"), "resource \"oci_objectstorage_object_lifecycle_policy\" \"landing\"");
        if (!landing.contains("target      = \"previous-object-versions\"") || !landing.contains("var.landing_versioning != \"Disabled\"")) {
            problems.add("with versioning on, the landing bucket's lifecycle policy has no rule deleting previous-object-versions");
        }
        String control = block(text(infra, "buckets.tf"), "resource \"oci_objectstorage_object_lifecycle_policy\" \"control\"");
        if (!control.contains("inclusion_prefixes = [\"" + dev.fusionextract.ledger.WorkLedger.PREFIX + "\"]")
                || !control.contains("name        = \"delete-ended-transfer-work\"")) {
            problems.add("the control bucket keeps transfer workers' claims for ever: add a lifecycle rule deleting "
                    + dev.fusionextract.ledger.WorkLedger.PREFIX + " objects");
        }
        if (Pattern.compile("actions \\{\\s*actions \\{").matcher(text(infra, "events.tf")).find()) {
            problems.add("an Events rule uses the deprecated actions { actions {} } block; write actions { action {} }");
        }
    }

    /**
     * Grants no wider than the code needs: the dynamic group matches the three functions by id; objects only
     * listed, read, created, overwritten and deleted (no version deletes, restores or tier changes); topics only
     * published to; the secret read where it lives; the Object Storage service allowed to run the lifecycle
     * policies (which depend on that grant); with Data Integration, its workspace reads the landing bucket only.
     */
    @SuppressWarnings("unchecked")
    static void leastPrivilege(Map<String, Object> infra, List<String> problems) {
        String iam = text(infra, "iam.tf");
        String group = block(iam, "resource \"oci_identity_dynamic_group\" \"functions\"");
        for (String function : List.of("submit", "poll", "transfer")) {
            if (!group.contains("resource.id = '${oci_functions_function." + function + ".id}'")) {
                problems.add("the dynamic group does not match " + function + "-function by its id");
            }
        }
        if (group.contains("resource.compartment.id")) {
            problems.add("the dynamic group matches every function of a compartment");
        }
        List<String> statements = new ArrayList<>();
        resources(infra, "oci_identity_policy").values().forEach(p -> ((Collection<?>) p.getOrDefault("statements", List.of()))
                .forEach(st -> statements.add(String.valueOf(st))));
        String objectPermissions = "any {request.permission = 'OBJECT_INSPECT', request.permission = 'OBJECT_READ', "
                + "request.permission = 'OBJECT_CREATE', request.permission = 'OBJECT_OVERWRITE', request.permission = 'OBJECT_DELETE'}";
        statements.stream().filter(st -> st.contains("dynamic-group") && st.contains(" to manage objects "))
                .filter(st -> !st.contains(objectPermissions)).forEach(st -> problems.add("the functions may do more with objects than the "
                        + "code does (list, read, create, overwrite, delete): " + st));
        statements.stream().filter(st -> st.contains(" ons-topics ") && !st.contains("request.permission = 'ONS_TOPIC_PUBLISH'"))
                .forEach(st -> problems.add("a topic grant allows more than publishing (subscriptions): " + st));
        statements.stream().filter(st -> st.contains(" secret-bundles ") && !st.contains("compartment id local.secret_compartment"))
                .forEach(st -> problems.add("the secret is read only in the deployment compartment, not where it lives: " + st));
        boolean lifecycleGrant = statements.stream().anyMatch(st -> st.startsWith("Allow service objectstorage-var.region to manage object-family")
                && st.contains("request.permission = 'OBJECT_DELETE'"));
        if (!lifecycleGrant) {
            problems.add("no policy lets Object Storage (service objectstorage-<region>) run the lifecycle policies");
        }
        for (String bucket : List.of("control", "landing")) {
            if (!block(text(infra, "buckets.tf"), "resource \"oci_objectstorage_object_lifecycle_policy\" \"" + bucket + "\"")
                    .contains("depends_on = [oci_identity_policy.objectstorage_lifecycle]")) {
                problems.add("the " + bucket + " lifecycle policy does not wait for the Object Storage service grant");
            }
        }
        String di = block(iam, "resource \"oci_identity_policy\" \"dataintegration\"");
        for (String grant : List.of("to use buckets", "to manage objects")) {
            boolean scoped = di.lines().anyMatch(l -> l.contains(grant) && l.contains("request.principal.type = 'disworkspace', "
                    + "request.principal.id = '${var.di_workspace_ocid}', target.bucket.name = '${local.landing_bucket}'}"));
            if (!scoped) {
                problems.add("the Data Integration workspace is not allowed to read the landing bucket (and only it): no '" + grant + "'");
            }
        }
    }

    private static final Set<String> COMMON_KEYS = Set.of("type", "title", "description", "required", "visible", "default");
    private static final Map<String, Set<String>> TYPE_KEYS = Map.ofEntries(
            Map.entry("string", Set.of("pattern", "minLength", "maxLength")),
            Map.entry("password", Set.of("pattern", "confirmation")),
            Map.entry("integer", Set.of("minimum", "maximum", "multipleOf", "exclusiveMinimum", "exclusiveMaximum")),
            Map.entry("boolean", Set.of()),
            Map.entry("enum", Set.of("enum", "allowMultiple")),
            Map.entry("oci:identity:compartment:id", Set.of()),
            Map.entry("oci:identity:region:name", Set.of()),
            Map.entry("oci:core:vcn:id", Set.of("dependsOn")),
            Map.entry("oci:core:subnet:id", Set.of("dependsOn")),
            Map.entry("oci:kms:vault:id", Set.of("dependsOn")),
            Map.entry("oci:kms:key:id", Set.of("dependsOn")),
            Map.entry("oci:kms:secret:id", Set.of("dependsOn")));
    /** dependsOn keys per type: those required, then those also allowed (Resource Manager's meta-schema). */
    private static final Map<String, List<Set<String>>> DEPENDS_ON = Map.of(
            "oci:core:vcn:id", List.of(Set.of("compartmentId"), Set.of()),
            "oci:core:subnet:id", List.of(Set.of("compartmentId", "vcnId"),
                    Set.of("hidePublicSubnet", "hidePrivateSubnet", "hideRegionalSubnet", "hideAdSubnet")),
            "oci:kms:vault:id", List.of(Set.of("compartmentId"), Set.of()),
            "oci:kms:key:id", List.of(Set.of("compartmentId", "vaultId"), Set.of("protectionMode", "algorithm", "length", "curveId")),
            "oci:kms:secret:id", List.of(Set.of("compartmentId"), Set.of("vaultId")));
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(\\w+)}");

    /**
     * schema.yaml against the rules of Resource Manager's meta-schema for the types it uses: the keys each type
     * takes, dependsOn with exactly its required keys (a subnet needs compartmentId and vcnId), defaults of the
     * right kind, visible as a boolean or a ${variable}, references to variables that exist; and every schema
     * variable a Terraform variable.
     */
    static List<String> schemaProblems(JsonNode schema, Set<String> terraformVariables) {
        List<String> problems = new ArrayList<>();
        if (!List.of("1.0.0", "1.1.0").contains(schema.path("schemaVersion").asText())) {
            problems.add("schema.yaml: schemaVersion must be 1.0.0 or 1.1.0");
        }
        JsonNode variables = schema.path("variables");
        Set<String> declared = new java.util.HashSet<>();
        variables.fieldNames().forEachRemaining(declared::add);
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = variables.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            JsonNode v = entry.getValue();
            String type = v.path("type").asText();
            String where = "schema.yaml variable " + name;
            if (!terraformVariables.contains(name)) {
                problems.add(where + " is not a Terraform variable");
            }
            Set<String> keys = TYPE_KEYS.get(type);
            if (keys == null) {
                problems.add(where + " has type " + type + ", which this check does not know");
                continue;
            }
            v.fieldNames().forEachRemaining(k -> {
                if (!COMMON_KEYS.contains(k) && !keys.contains(k)) {
                    problems.add(where + " (" + type + ") may not have " + k);
                }
            });
            List<Set<String>> depends = DEPENDS_ON.get(type);
            if (depends != null) {
                Set<String> given = new java.util.HashSet<>();
                v.path("dependsOn").fieldNames().forEachRemaining(given::add);
                if (!given.containsAll(depends.get(0))) {
                    problems.add(where + " (" + type + ") needs dependsOn " + new java.util.TreeSet<>(depends.get(0)) + ", has " + new java.util.TreeSet<>(given));
                }
                given.removeAll(depends.get(0));
                given.removeAll(depends.get(1));
                if (!given.isEmpty()) {
                    problems.add(where + " (" + type + ") may not depend on " + given);
                }
                v.path("dependsOn").forEach(ref -> {
                    Matcher m = REFERENCE.matcher(ref.asText());
                    if (ref.isTextual() && (!m.matches() || !declared.contains(m.group(1)))) {
                        problems.add(where + " depends on " + ref.asText() + ", not a ${variable} of the schema");
                    }
                });
            }
            JsonNode visible = v.get("visible");
            if (visible != null && !visible.isBoolean() && !visible.isObject()
                    && !(REFERENCE.matcher(visible.asText()).matches() && declared.contains(REFERENCE.matcher(visible.asText()).replaceAll("$1")))) {
                problems.add(where + ": visible must be a boolean, a ${variable} or a condition, not \"" + visible.asText() + "\"");
            }
            JsonNode dflt = v.get("default");
            if (dflt != null) {
                boolean ok = switch (type) {
                    case "integer" -> dflt.isIntegralNumber();
                    case "boolean" -> dflt.isBoolean();
                    case "enum" -> {
                        boolean listed = false;
                        for (JsonNode option : v.path("enum")) {
                            listed |= option.asText().equals(dflt.asText());
                        }
                        yield listed;
                    }
                    default -> dflt.isTextual();
                };
                if (!ok) {
                    problems.add(where + " has a default that is not a valid " + type);
                }
            }
            if (type.equals("enum") && (!v.path("enum").isArray() || v.path("enum").isEmpty())) {
                problems.add(where + " is an enum without values");
            }
            if (v.has("pattern")) {
                try {
                    Pattern compiled = Pattern.compile(v.get("pattern").asText());
                    if (dflt != null && !compiled.matcher(dflt.asText()).find()) {
                        problems.add(where + " has a default its own pattern refuses");
                    }
                } catch (java.util.regex.PatternSyntaxException e) {
                    problems.add(where + " has a pattern that is not a regular expression");
                }
            }
        }
        for (JsonNode group : schema.path("variableGroups")) {
            for (JsonNode member : group.path("variables")) {
                if (!declared.contains(member.asText()) && !terraformVariables.contains(member.asText())) {
                    problems.add("schema.yaml group \"" + group.path("title").asText() + "\" lists " + member.asText() + ", which is no variable");
                }
            }
        }
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> infra, String file) {
        return ((Map<String, String>) infra.get(TEXT)).getOrDefault(file, "");
    }

    /** The text of the block that starts with {@code header}, braces balanced, or empty. */
    static String block(String text, String header) {
        int start = text.indexOf(header);
        if (start < 0) {
            return "";
        }
        int depth = 0;
        for (int i = text.indexOf('{', start); i >= 0 && i < text.length(); i++) {
            depth += text.charAt(i) == '{' ? 1 : text.charAt(i) == '}' ? -1 : 0;
            if (depth == 0) {
                return text.substring(start, i + 1);
            }
        }
        return text.substring(start);
    }

    /**
     * What a first apply needs from the deployer, checked before anything is created: the namespace read without
     * a compartment (GetNamespace with one needs manage objectstorage-namespaces); name_prefix and the images
     * validated; the vault inputs checked by a precondition; a Terraform version that Resource Manager runs (1.5.x).
     */
    @SuppressWarnings("unchecked")
    static void deployerInputs(Map<String, Object> infra, List<String> problems) {
        Map<String, Object> data = (Map<String, Object>) infra.getOrDefault("data", Map.of());
        Map<String, Object> namespaces = (Map<String, Object>) data.getOrDefault("oci_objectstorage_namespace", Map.of());
        namespaces.forEach((name, ns) -> {
            if (ns instanceof Map<?, ?> m && m.containsKey("compartment_id")) {
                problems.add("data oci_objectstorage_namespace." + name + " passes compartment_id: GetNamespace then needs "
                        + "manage objectstorage-namespaces; leave it out");
            }
        });
        String variables = text(infra, "variables.tf");
        Matcher prefix = Pattern.compile("regex\\(\"([^\"]+)\", var\\.name_prefix\\)").matcher(block(variables, "variable \"name_prefix\""));
        if (!prefix.find()) {
            problems.add("variable name_prefix has no validation: it feeds bucket, topic, dynamic-group and policy names");
        } else {
            Pattern rule = Pattern.compile(prefix.group(1).replace("\\\\", "\\"));
            for (String bad : List.of("Fusion Extract", "-x", "a_b", "x".repeat(41), "UPPER")) {
                if (rule.matcher(bad).find()) {
                    problems.add("name_prefix's validation lets \"" + bad + "\" through");
                }
            }
            if (!rule.matcher("fusion-extract").find()) {
                problems.add("name_prefix's validation refuses its own default");
            }
        }
        for (String image : List.of("submit_image", "poll_image", "transfer_image")) {
            String condition = block(variables, "variable \"" + image + "\"").lines().filter(l -> l.trim().startsWith("condition"))
                    .findFirst().orElse("");
            if (!condition.contains(":latest$") || !condition.contains("@sha256:") || !condition.contains("var." + image)) {
                problems.add("variable " + image + " does not refuse :latest or an untagged image (OCI Functions keeps the image it "
                        + "pulled first for a tag)");
            }
        }
        String precondition = block(text(infra, "functions.tf"), "precondition");
        if (!precondition.contains("var.existing_secret_ocid") || !precondition.contains("var.vault_ocid")
                || !precondition.contains("var.vault_key_ocid")) {
            problems.add("no precondition names existing_secret_ocid, vault_ocid and vault_key_ocid: empty vault inputs fail only at apply");
        }
        Object terraform = infra.get("terraform");
        String required = terraform instanceof Map<?, ?> t ? String.valueOf(t.get("required_version")) : "";
        Matcher atLeast = Pattern.compile(">=\\s*(\\d+)\\.(\\d+)").matcher(required);
        if (!atLeast.matches() || Integer.parseInt(atLeast.group(1)) != 1 || Integer.parseInt(atLeast.group(2)) > 5) {
            problems.add("required_version \"" + required + "\" must admit Terraform 1.5.x, the newest Resource Manager runs");
        }
    }

    /**
     * The sweep: a Resource Scheduler schedule that invokes submit-function with exactly {"sweep": true} on an
     * iCalendar or cron recurrence, and a policy that lets that one schedule (its principal id) invoke it.
     */
    static void sweepSchedule(Map<String, Object> infra, List<String> problems) {
        Map<String, Object> schedule = resources(infra, "oci_resource_scheduler_schedule").get("sweep");
        if (schedule == null) {
            problems.add("infra/ has no oci_resource_scheduler_schedule.sweep: nothing runs the sweep");
            return;
        }
        if (!"START_RESOURCE".equals(schedule.get("action"))) {
            problems.add("the sweep schedule's action is " + schedule.get("action") + ", not START_RESOURCE (which invokes a function)");
        }
        if (!List.of("ICAL", "CRON").contains(String.valueOf(schedule.get("recurrence_type")))) {
            problems.add("the sweep schedule's recurrence_type must be ICAL or CRON");
        }
        if (!String.valueOf(schedule.get("resources")).contains("id=oci_functions_function.submit.id")) {
            problems.add("the sweep schedule does not invoke submit-function");
        }
        Object resourcesBlock = schedule.get("resources");
        Object parameters = resourcesBlock instanceof Map<?, ?> r ? r.get("parameters") : null;
        boolean sweepBody = false;
        if (parameters instanceof Map<?, ?> p && "BODY".equals(p.get("parameter_type")) && p.get("value") instanceof List<?> values
                && values.size() == 1) {
            try {
                sweepBody = JSON.readTree(String.valueOf(values.get(0))).equals(JSON.readTree("{\"sweep\":true}"));
            } catch (IOException e) {
                sweepBody = false;
            }
        }
        if (!sweepBody) {
            problems.add("the sweep schedule must send the body {\"sweep\": true} (one BODY parameter) to submit-function");
        }
        Map<String, Object> policy = resources(infra, "oci_identity_policy").get("sweep");
        List<String> statements = policy != null && policy.get("statements") instanceof Collection<?> list
                ? list.stream().map(String::valueOf).toList() : List.of();
        boolean invokes = statements.stream().anyMatch(s -> s.contains("to use fn-invocation in compartment")
                && s.contains("request.principal.type = 'resourceschedule'")
                && s.contains("request.principal.id = 'oci_resource_scheduler_schedule.sweep")
                && s.contains("target.function.id = 'oci_functions_function.submit.id'"));
        if (!invokes) {
            problems.add("no policy lets the sweep schedule (request.principal.id of the schedule) invoke submit-function only");
        }
        statements.stream().filter(s -> s.contains("any-user") && !s.contains("request.principal.id = 'oci_resource_scheduler_schedule.sweep"))
                .forEach(s -> problems.add("policy sweep grants any-user without naming the schedule: " + s));
    }

    /**
     * Extract schedules: one Resource Scheduler schedule per entry of var.schedules, on a CRON recurrence, invoking
     * submit-function with a BODY built from the entry (its request fields, its name as {@code schedule}, empty
     * values left out), a policy per schedule that lets only that schedule invoke only submit-function, and
     * validations that keep a cron to 5 fields and a run id template to one that makes one run per occurrence.
     */
    static void extractSchedules(Map<String, Object> infra, List<String> problems) {
        String file = text(infra, "schedules.tf");
        String schedule = block(file, "resource \"oci_resource_scheduler_schedule\" \"extract\"");
        if (schedule.isEmpty() || !schedule.contains("for_each           = var.schedules")) {
            problems.add("infra/ has no oci_resource_scheduler_schedule.extract for each entry of var.schedules");
            return;
        }
        for (String needed : List.of("action             = \"START_RESOURCE\"", "recurrence_type    = \"CRON\"",
                "recurrence_details = each.value.cron", "id = oci_functions_function.submit.id", "parameter_type = \"BODY\"",
                "value          = [jsonencode({ for key, value in local.schedule_requests[each.key] : key => value if value != \"\" })]")) {
            if (!schedule.contains(needed)) {
                problems.add("an extract schedule lacks " + needed + " (a CRON schedule invoking submit-function with its request as BODY, "
                        + "empty values left out)");
            }
        }
        String requests = block(file, "locals");
        for (String field : List.of("extractName   = s.extract_name", "mode          = s.mode", "landingPrefix = s.landing_prefix",
                "runId         = s.run_id", "schedule      = name")) {
            if (!requests.contains(field)) {
                problems.add("a schedule's request does not carry " + field.replaceAll("\\s+", " ") + " (submit-function reads these fields)");
            }
        }
        String policy = block(file, "resource \"oci_identity_policy\" \"schedule\"");
        String principal = "request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.extract[each.key].id}'";
        if (!policy.contains("for_each       = var.schedules")
                || !policy.contains("to use fn-invocation in compartment id ${var.compartment_ocid} where all {" + principal
                + ", target.function.id = '${oci_functions_function.submit.id}'}")) {
            problems.add("no policy lets each extract schedule (its principal id) invoke submit-function only");
        }
        policy.lines().filter(l -> l.contains("any-user") && !l.contains(principal))
                .forEach(l -> problems.add("policy schedule grants any-user without naming its schedule: " + l.strip()));
        String variable = block(text(infra, "variables.tf"), "variable \"schedules\"");
        if (!variable.contains("can(regex(\"^\\\\S+( \\\\S+){4}$\", trimspace(s.cron)))")) {
            problems.add("variable schedules does not check that each cron has 5 fields");
        }
        if (!variable.contains("s.run_id == \"\" || can(regex(\"\\\\{(date|hour|minute|week|month)\\\\}\", s.run_id))")) {
            problems.add("variable schedules lets a run_id without a placeholder through (every occurrence would be one run)");
        }
    }

    /**
     * Run metrics and their alarms: each function is told where to post (the namespace the policy names), the
     * functions may post in that namespace only, and an alarm on each bad end the code posts (runs_failed,
     * runs_timed_out) notifies the STATUS topic.
     */
    static void metricsAndAlarms(Map<String, Object> infra, List<String> problems) {
        String functions = text(infra, "functions.tf");
        for (String function : List.of("submit", "poll", "transfer")) {
            String block = block(functions, "resource \"oci_functions_function\" \"" + function + "\"");
            if (!block.matches("(?s).*METRICS_COMPARTMENT_OCID\\s+= local\\.metrics_compartment.*")
                    || !block.matches("(?s).*METRICS_NAMESPACE\\s+= local\\.metrics_namespace.*")) {
                problems.add(function + "-function is not told where to post run metrics (METRICS_COMPARTMENT_OCID, METRICS_NAMESPACE)");
            }
        }
        String locals = text(infra, "locals.tf");
        if (!locals.contains("metrics_namespace   = \"" + ConfigKey.METRICS_NAMESPACE.defaultValue().orElseThrow() + "\"")) {
            problems.add("local.metrics_namespace is not " + ConfigKey.METRICS_NAMESPACE.defaultValue().orElseThrow());
        }
        String policy = block(text(infra, "iam.tf"), "resource \"oci_identity_policy\" \"metrics\"");
        if (!policy.contains("to use metrics in compartment id ${var.compartment_ocid} where target.metrics.namespace = '${local.metrics_namespace}'")) {
            problems.add("no policy lets the functions post metrics in their namespace only (use metrics where target.metrics.namespace)");
        }
        String alarms = block(text(infra, "monitoring.tf"), "resource \"oci_monitoring_alarm\" \"runs\"");
        if (!alarms.contains("for_each              = var.metrics_enabled ? local.run_alarms : {}")
                || !alarms.contains("destinations          = [oci_ons_notification_topic.status.id]")
                || !alarms.contains("namespace             = local.metrics_namespace")) {
            problems.add("the run alarms must watch the metrics namespace and notify the STATUS topic");
        }
        for (RunState bad : List.of(RunState.FAILED, RunState.TIMED_OUT)) {
            String metric = "runs_" + bad.name().toLowerCase(java.util.Locale.ROOT);
            if (!block(locals, "run_alarms").contains("\"" + metric + "[5m].sum() > 0\"")) {
                problems.add("no alarm on " + metric + ", the metric the code posts when a run ends " + bad);
            }
        }
    }

    /** transfer-function gets TRANSFER_WORKERS from a variable that allows exactly what the code accepts (1 to MAX_WORKERS). */
    static void transferWorkers(Map<String, Object> infra, List<String> problems) {
        String transfer = block(text(infra, "functions.tf"), "resource \"oci_functions_function\" \"transfer\"");
        if (!transfer.matches("(?s).*TRANSFER_WORKERS\\s+= var\\.transfer_workers.*")) {
            problems.add("transfer-function is not given TRANSFER_WORKERS from var.transfer_workers");
        }
        String variable = block(text(infra, "variables.tf"), "variable \"transfer_workers\"");
        if (!variable.contains("var.transfer_workers >= 1 && var.transfer_workers <= " + dev.fusionextract.messages.StageMessage.MAX_WORKERS)) {
            problems.add("variable transfer_workers does not allow exactly 1 to " + dev.fusionextract.messages.StageMessage.MAX_WORKERS
                    + ", what transfer-function accepts");
        }
    }

    private static final String EMPTY_LEFT_OUT = "} : key => value if value != \"\" }";

    /**
     * A function's configuration map. It is written {@code { for key, value in { ... } : key => value if value != "" }}
     * (empty values left out), which hcl4j does not evaluate: the literal map inside is read from the text.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> configOf(Map<String, Object> infra, Map<String, Object> function) {
        Object config = function.get("config");
        if (config instanceof Map<?, ?> literal) {
            return (Map<String, Object>) literal;
        }
        String name = String.valueOf(function.get("display_name")).replace("-function", "");
        String body = block(text(infra, "functions.tf"), "resource \"oci_functions_function\" \"" + name + "\"");
        int open = body.indexOf("config = { for key, value in {");
        int close = body.indexOf(EMPTY_LEFT_OUT, open);
        if (open < 0 || close < 0) {
            return null;
        }
        String inner = body.substring(body.indexOf('{', body.indexOf(" in {", open) + 3), close + 1);
        try {
            return (Map<String, Object>) new HCLParser().parse("config = " + inner + "\n", false).get("config");
        } catch (com.bertramlabs.plugins.hcl4j.HCLParserException | IOException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    static void functionConfig(Map<String, Object> infra, List<String> problems) {
        Map<String, Map<String, Object>> functions = resources(infra, "oci_functions_function");
        if (functions.size() != 3) {
            problems.add("infra/ defines " + functions.size() + " functions, not the three of the code");
        }
        for (Map<String, Object> function : functions.values()) {
            String name = String.valueOf(function.get("display_name"));
            ConfigKey.Reader reader = READERS.get(name);
            if (reader == null) {
                problems.add("function " + name + " is not one of " + READERS.keySet());
                continue;
            }
            Map<String, Object> config = configOf(infra, function);
            if (config == null) {
                problems.add(name + " has a config the check cannot read: write it as a literal map, filtered by a for expression");
                continue;
            }
            for (String key : config.keySet()) {
                ConfigKey known = Stream.of(ConfigKey.values()).filter(k -> k.name().equals(key)).findFirst().orElse(null);
                if (known == null || !known.readBy(reader)) {
                    problems.add(name + " sets " + key + ", which it does not read");
                }
            }
            for (ConfigKey key : ConfigKey.values()) {
                if (key.required() && key.readBy(reader) && !config.containsKey(key.name())) {
                    problems.add(name + " needs " + key.name() + ", which is not set");
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    static void eventRules(Map<String, Object> infra, List<String> problems) throws IOException {
        Map<String, Object> submitConfig = Optional.ofNullable(configOf(infra, resources(infra, "oci_functions_function")
                .getOrDefault("submit", Map.of()))).orElse(Map.of());
        String requestPrefix = resolve(infra, String.valueOf(submitConfig.get("REQUEST_PREFIX")));
        Map<String, Map<String, Object>> buckets = resources(infra, "oci_objectstorage_bucket");
        for (Map.Entry<String, Map<String, Object>> rule : resources(infra, "oci_events_rule").entrySet()) {
            String where = "Events rule " + rule.getKey();
            JsonNode condition = JSON.readTree(String.valueOf(rule.getValue().get("condition")));
            List<String> types = new ArrayList<>();
            condition.path("eventType").forEach(t -> types.add(t.asText()));
            List<String> accepted = rule.getKey().equals("request") ? List.of(ObjectEvent.CREATE_OBJECT, ObjectEvent.UPDATE_OBJECT)
                    : List.of(ObjectEvent.CREATE_OBJECT);
            if (!types.equals(accepted)) {
                problems.add(where + " listens to " + types + "; submit-function acts on " + accepted + " there");
            }
            if (!String.valueOf(rule.getValue().get("actions")).contains("oci_functions_function.submit.id")) {
                problems.add(where + " does not invoke submit-function");
            }
            for (JsonNode bucket : condition.path("data").path("additionalDetails").path("bucketName")) {
                String reference = bucket.isTextual() ? bucket.asText() : bucket.path("name").asText();
                Matcher m = Pattern.compile("oci_objectstorage_bucket\\.(\\w+)\\.name").matcher(reference);
                if (!m.matches() || !buckets.containsKey(m.group(1))) {
                    problems.add(where + " names bucket " + reference + ", which infra/ does not create");
                    continue;
                }
                if (!Boolean.TRUE.equals(buckets.get(m.group(1)).get("object_events_enabled"))) {
                    problems.add(where + " listens to bucket " + m.group(1) + ", whose object_events_enabled is not true");
                }
                List<String> names = new ArrayList<>();
                condition.path("data").path("resourceName").forEach(n -> names.add(resolve(infra, n.asText())));
                if (reference.equals(String.valueOf(submitConfig.get("CONTROL_BUCKET")))) {
                    if (names.isEmpty() || !names.stream().allMatch(n -> n.equals(requestPrefix + "*"))) {
                        problems.add(where + " on the control bucket must match REQUEST_PREFIX " + requestPrefix + "*, not " + names);
                    }
                } else if (reference.equals(String.valueOf(submitConfig.get("LANDING_BUCKET")))) {
                    if (names.isEmpty() || !names.stream().allMatch(n -> n.endsWith("_manifest.json"))) {
                        problems.add(where + " on the landing bucket must match *_manifest.json, not " + names);
                    }
                } else {
                    problems.add(where + " listens to bucket " + m.group(1) + ", which submit-function does not read");
                }
            }
        }
    }

    /** {@code local.x} (and {@code local.x*}) as the locals block defines it. */
    private static String resolve(Map<String, Object> infra, String value) {
        Matcher m = Pattern.compile("local\\.(\\w+)(.*)").matcher(value);
        return m.matches() && locals(infra).containsKey(m.group(1)) ? locals(infra).get(m.group(1)) + m.group(2) : value;
    }

    @SuppressWarnings("unchecked")
    static void policies(Map<String, Object> infra, List<String> problems) {
        String control = "local.control_bucket";
        String landing = "local.landing_bucket";
        for (Map.Entry<String, Map<String, Object>> policy : resources(infra, "oci_identity_policy").entrySet()) {
            Object statements = policy.getValue().get("statements");
            if (!(statements instanceof Collection<?> list)) {
                problems.add("policy " + policy.getKey() + " has statements the check cannot read: write them as a literal list");
                continue;
            }
            for (Object s : list) {
                String statement = String.valueOf(s);
                String lower = statement.toLowerCase();
                if (lower.contains("all-resources")) {
                    problems.add("policy " + policy.getKey() + " grants all-resources: " + statement);
                }
                if (lower.contains(" in tenancy")) {
                    problems.add("policy " + policy.getKey() + " grants something tenancy-wide: " + statement);
                }
                if (lower.matches(".* to \\w+ (objects|object-family|buckets) in .*")) {
                    Matcher m = BUCKET_CONDITION.matcher(statement);
                    List<String> named = new ArrayList<>();
                    while (m.find()) {
                        named.add(m.group(1));
                    }
                    if (named.isEmpty() || !Set.of(control, landing).containsAll(named)) {
                        problems.add("policy " + policy.getKey() + " reaches objects outside the two buckets: " + statement);
                    }
                }
            }
        }
    }

    static void funcYaml(Map<String, Object> infra, List<String> problems) throws IOException {
        for (Map<String, Object> function : resources(infra, "oci_functions_function").values()) {
            String name = String.valueOf(function.get("display_name"));
            Path yaml = ROOT.resolve(name).resolve("func.yaml");
            if (!Files.exists(yaml)) {
                problems.add("function " + name + " has no " + name + "/func.yaml");
                continue;
            }
            JsonNode func = YAML.readTree(yaml.toFile());
            if (!name.equals(func.path("name").asText())) {
                problems.add(name + "/func.yaml is named " + func.path("name").asText());
            }
            if (((Number) function.get("memory_in_mbs")).intValue() != func.path("memory").asInt()) {
                problems.add(name + " has memory_in_mbs " + function.get("memory_in_mbs") + " but func.yaml says " + func.path("memory").asInt());
            }
            if (((Number) function.get("timeout_in_seconds")).intValue() != func.path("timeout").asInt()) {
                problems.add(name + " has timeout_in_seconds " + function.get("timeout_in_seconds") + " but func.yaml says "
                        + func.path("timeout").asInt());
            }
        }
    }

    private static List<String> brokenBy(String file, String... changes) throws IOException {
        return violations(load(Map.of(file, List.of(changes))));
    }

    private static void assertCaught(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected \"" + expected + "\" in " + problems);
    }

    @Test
    void infraAndTheCodeAgree() throws IOException {
        assertEquals(List.of(), violations(load(Map.of())));
    }

    @Test
    void aKeyAFunctionDoesNotReadIsCaught() throws IOException {
        assertCaught(brokenBy("functions.tf", "METRICS_NAMESPACE        = local.metrics_namespace\n  } : key",
                "METRICS_NAMESPACE        = local.metrics_namespace\n    OCI_CONFIG_FILE          = \"/x\"\n  } : key"),
                "transfer-function sets OCI_CONFIG_FILE, which it does not read");
    }

    @Test
    void aConfigMapThatKeepsEmptyValuesIsCaught() throws IOException {
        assertCaught(brokenBy("functions.tf", "local.metrics_namespace\n  } : key => value if value != \"\" }\n}\n\nresource \"oci_functions_function\" \"transfer\"",
                "local.metrics_namespace\n  } : key => value }\n}\n\nresource \"oci_functions_function\" \"transfer\""),
                "poll-function has a config the check cannot read");
    }

    @Test
    void aRequiredKeyLeftOutIsCaught() throws IOException {
        assertCaught(brokenBy("functions.tf", "    REQUEST_PREFIX           = local.request_prefix\n", "",
                "    POLL_TOPIC_ENDPOINT      = oci_ons_notification_topic.poll.api_endpoint\n    TRANSFER_TOPIC_OCID", "    TRANSFER_TOPIC_OCID"),
                "submit-function needs POLL_TOPIC_ENDPOINT, which is not set");
    }

    @Test
    void anotherEventTypeIsCaught() throws IOException {
        assertCaught(brokenBy("events.tf", "eventType = [\"com.oraclecloud.objectstorage.createobject\"]",
                "eventType = [\"com.oraclecloud.objectstorage.updateobject\"]"), "submit-function acts on");
        assertCaught(brokenBy("events.tf", ", \"com.oraclecloud.objectstorage.updateobject\"]", "]"),
                "Events rule request listens to [com.oraclecloud.objectstorage.createobject]");
    }

    @Test
    void aBucketWithoutObjectEventsIsCaught() throws IOException {
        assertCaught(brokenBy("buckets.tf", "name                  = local.control_bucket\n  access_type           = \"NoPublicAccess\"\n  object_events_enabled = true",
                "name                  = local.control_bucket\n  access_type           = \"NoPublicAccess\"\n  object_events_enabled = false"),
                "whose object_events_enabled is not true");
    }

    @Test
    void aRuleOnTheWrongBucketOrNamesIsCaught() throws IOException {
        assertCaught(brokenBy("events.tf", "resourceName      = [\"${local.request_prefix}*\"]\n      additionalDetails = { bucketName = [oci_objectstorage_bucket.control.name] }",
                "resourceName      = [\"${local.request_prefix}*\"]\n      additionalDetails = { bucketName = [oci_objectstorage_bucket.landing.name] }"),
                "on the landing bucket must match *_manifest.json");
        assertCaught(brokenBy("events.tf", "resourceName      = [\"${local.request_prefix}*\"]", "resourceName      = [\"inbox/*\"]"),
                "must match REQUEST_PREFIX requests/*");
    }

    @Test
    void allResourcesOrTenancyWideGrantsAreCaught() throws IOException {
        assertCaught(brokenBy("iam.tf", "    \"Allow service cloudEvents to use functions-family in compartment id ${var.compartment_ocid}\",",
                "    \"Allow service cloudEvents to use functions-family in compartment id ${var.compartment_ocid}\",\n"
                        + "    \"Allow dynamic-group x to manage all-resources in tenancy\","), "grants all-resources");
    }

    @Test
    void objectAccessBeyondTheTwoBucketsIsCaught() throws IOException {
        assertCaught(brokenBy("iam.tf", "to manage objects in compartment id ${var.compartment_ocid} where all {any {target.bucket.name = '${local.control_bucket}', target.bucket.name = '${local.landing_bucket}'}, ",
                "to manage objects in compartment id ${var.compartment_ocid} where all {"), "reaches objects outside the two buckets");
        assertCaught(brokenBy("iam.tf", "to read buckets in compartment id ${var.compartment_ocid} where any {target.bucket.name = '${local.control_bucket}'",
                "to read buckets in compartment id ${var.compartment_ocid} where any {target.bucket.name = 'payroll'"),
                "reaches objects outside the two buckets");
    }

    @Test
    void aFunctionThatDiffersFromItsFuncYamlIsCaught() throws IOException {
        assertCaught(brokenBy("functions.tf", "display_name       = \"poll-function\"\n  image              = var.poll_image\n  memory_in_mbs      = 256",
                "display_name       = \"poll-function\"\n  image              = var.poll_image\n  memory_in_mbs      = 2048"),
                "poll-function has memory_in_mbs 2048");
        assertCaught(brokenBy("functions.tf", "memory_in_mbs      = 512\n  timeout_in_seconds = 300", "memory_in_mbs      = 512\n  timeout_in_seconds = 120"),
                "transfer-function has timeout_in_seconds 120");
    }

    @Test
    void aSweepScheduleThatIsMissingSendsAnotherBodyOrMayNotInvokeIsCaught() throws IOException {
        assertCaught(brokenBy("sweep.tf", "resource \"oci_resource_scheduler_schedule\" \"sweep\"", "resource \"oci_resource_scheduler_schedule\" \"other\""),
                "nothing runs the sweep");
        assertCaught(brokenBy("sweep.tf", "jsonencode({ sweep = true })", "jsonencode({ sweep = false })"), "must send the body");
        assertCaught(brokenBy("sweep.tf", "id = oci_functions_function.submit.id", "id = oci_functions_function.poll.id"),
                "does not invoke submit-function");
        assertCaught(brokenBy("sweep.tf", ", target.function.id = '${oci_functions_function.submit.id}'", ""),
                "invoke submit-function only");
        assertCaught(brokenBy("sweep.tf", "request.principal.id = '${oci_resource_scheduler_schedule.sweep[0].id}'}\",\n  ]",
                "request.principal.id = '${oci_resource_scheduler_schedule.sweep[0].id}'}\",\n    \"Allow any-user to read fn-function in compartment id x\",\n  ]"),
                "grants any-user without naming the schedule");
    }

    @Test
    void anExtractScheduleThatIsMissingSendsAnotherBodyOrMayNotInvokeIsCaught() throws IOException {
        assertCaught(brokenBy("schedules.tf", "resource \"oci_resource_scheduler_schedule\" \"extract\"",
                "resource \"oci_resource_scheduler_schedule\" \"other\""), "no oci_resource_scheduler_schedule.extract");
        assertCaught(brokenBy("schedules.tf", "recurrence_type    = \"CRON\"", "recurrence_type    = \"ICAL\""), "lacks recurrence_type");
        assertCaught(brokenBy("schedules.tf", "id = oci_functions_function.submit.id", "id = oci_functions_function.poll.id"),
                "lacks id = oci_functions_function.submit.id");
        assertCaught(brokenBy("schedules.tf", " if value != \"\" })]", " })]"), "empty values left out");
        assertCaught(brokenBy("schedules.tf", "    schedule      = name\n", ""), "does not carry schedule = name");
        assertCaught(brokenBy("schedules.tf", ", target.function.id = '${oci_functions_function.submit.id}'", ""),
                "invoke submit-function only");
        assertCaught(brokenBy("schedules.tf", "request.principal.id = '${oci_resource_scheduler_schedule.extract[each.key].id}'}\",\n  ]",
                "request.principal.id = '${oci_resource_scheduler_schedule.extract[each.key].id}'}\",\n    \"Allow any-user to read fn-function in compartment id x\",\n  ]"),
                "grants any-user without naming its schedule");
        assertCaught(brokenBy("variables.tf", "s.run_id == \"\" || ", ""), "run_id without a placeholder");
        assertCaught(brokenBy("variables.tf", "( \\\\S+){4}$", "( \\\\S+){5}$"), "cron has 5 fields");
    }

    @Test
    void metricsThatGoNowhereOrAlarmsOnTheWrongMetricAreCaught() throws IOException {
        assertCaught(brokenBy("functions.tf", "    METRICS_COMPARTMENT_OCID = local.metrics_compartment\n", ""), "is not told where to post");
        assertCaught(brokenBy("iam.tf", "where target.metrics.namespace = '${local.metrics_namespace}'", ""), "post metrics in their namespace only");
        assertCaught(brokenBy("locals.tf", "runs_timed_out[5m]", "runs_timedout[5m]"), "no alarm on runs_timed_out");
        assertCaught(brokenBy("monitoring.tf", "[oci_ons_notification_topic.status.id]", "[]"), "notify the STATUS topic");
        assertCaught(brokenBy("locals.tf", "metrics_namespace   = \"fusion_extract\"", "metrics_namespace   = \"fx\""),
                "local.metrics_namespace is not fusion_extract");
    }

    @Test
    void transferWorkersNotWiredOrAllowedBeyondTheCodeAreCaught() throws IOException {
        assertCaught(brokenBy("buckets.tf", "inclusion_prefixes = [\"work/\"]", "inclusion_prefixes = [\"runs/\"]"), "keeps transfer workers' claims");
        assertCaught(brokenBy("functions.tf", "    TRANSFER_WORKERS         = var.transfer_workers\n", ""), "not given TRANSFER_WORKERS");
        assertCaught(brokenBy("variables.tf", "var.transfer_workers <= 16", "var.transfer_workers <= 64"), "does not allow exactly 1 to 16");
    }

    @Test
    void deployerInputsThatWouldFailAFirstApplyAreCaught() throws IOException {
        assertCaught(brokenBy("locals.tf", "data \"oci_objectstorage_namespace\" \"this\" {\n}",
                "data \"oci_objectstorage_namespace\" \"this\" {\n  compartment_id = var.tenancy_ocid\n}"), "passes compartment_id");
        assertCaught(brokenBy("variables.tf", "^[a-z][a-z0-9-]{0,39}$", "^.*$"), "lets \"Fusion Extract\" through");
        assertCaught(brokenBy("variables.tf", "    condition     = can(regex(\"^[a-z][a-z0-9-]{0,39}$\", var.name_prefix))\n", ""),
                "name_prefix has no validation");
        assertCaught(brokenBy("variables.tf", " && !can(regex(\":latest$\", var.poll_image))", ""), "variable poll_image does not refuse");
        assertCaught(brokenBy("functions.tf", "var.existing_secret_ocid != \"\" || ", ""), "no precondition names");
        assertCaught(brokenBy("versions.tf", "required_version = \">= 1.3\"", "required_version = \">= 1.6\""), "must admit Terraform 1.5.x");
    }

    @Test
    void storageAndEventRulesThatFailOrWarnOnApplyAreCaught() throws IOException {
        assertCaught(brokenBy("variables.tf", "contains([\"Disabled\", \"Enabled\", \"Suspended\"], var.landing_versioning)",
                "contains([\"Disabled\", \"Enabled\"], var.landing_versioning)"), "must allow exactly Disabled, Enabled and Suspended");
        assertCaught(brokenBy("buckets.tf", "target      = \"previous-object-versions\"", "target      = \"objects\""),
                "no rule deleting previous-object-versions");
        assertCaught(brokenBy("events.tf", "  actions {\n    action {", "  actions {\n    actions {"), "deprecated actions { actions {} }");
    }

    @Test
    void schemaYamlFollowsResourceManagersMetaSchema() throws IOException {
        JsonNode schema = YAML.readTree(ROOT.resolve("infra/schema.yaml").toFile());
        Set<String> variables = variableNames(load(Map.of()));
        assertEquals(List.of(), schemaProblems(schema, variables));
        com.fasterxml.jackson.databind.node.ObjectNode broken = schema.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("variables").path("subnet_ocid").path("dependsOn")).remove("vcnId");
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("variables").path("sweep_recurrence")).put("visible", "sweep_enabled");
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("variables").path("max_run_minutes")).put("default", "720");
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("variables").path("vault_key_ocid").path("dependsOn")).put("colour", "red");
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("variables")).putObject("ghost").put("type", "string");
        List<String> problems = schemaProblems(broken, variables);
        assertCaught(problems, "subnet_ocid (oci:core:subnet:id) needs dependsOn [compartmentId, vcnId]");
        assertCaught(problems, "sweep_recurrence: visible must be");
        assertCaught(problems, "max_run_minutes has a default that is not a valid integer");
        assertCaught(problems, "vault_key_ocid (oci:kms:key:id) may not depend on [colour]");
        assertCaught(problems, "ghost is not a Terraform variable");
    }

    @Test
    void grantsWiderThanTheCodeNeedsAreCaught() throws IOException {
        assertCaught(brokenBy("iam.tf", "ANY {resource.id = '${oci_functions_function.submit.id}', ",
                "ANY {resource.compartment.id = '${var.compartment_ocid}', "), "does not match submit-function by its id");
        assertCaught(brokenBy("iam.tf", ", request.permission = 'OBJECT_DELETE'}}\",", "}}\","), "may do more with objects");
        assertCaught(brokenBy("iam.tf", " where request.permission = 'ONS_TOPIC_PUBLISH'", ""), "allows more than publishing");
        assertCaught(brokenBy("iam.tf", "secret-bundles in compartment id ${local.secret_compartment}", "secret-bundles in compartment id ${var.compartment_ocid}"),
                "not where it lives");
        assertCaught(brokenBy("iam.tf", "Allow service objectstorage-${var.region}", "Allow service objectstorage to"),
                "no policy lets Object Storage");
        assertCaught(brokenBy("buckets.tf", "  depends_on = [oci_identity_policy.objectstorage_lifecycle]\n\n  rules {\n    name        = \"abort-uncommitted-multipart-uploads\"",
                "\n  rules {\n    name        = \"abort-uncommitted-multipart-uploads\""), "lifecycle policy does not wait");
        assertCaught(brokenBy("iam.tf", "target.bucket.name = '${local.landing_bucket}'}\",\n    \"Allow any-group to manage objects",
                "target.bucket.name = '${local.control_bucket}'}\",\n    \"Allow any-group to manage objects"), "workspace is not allowed to read");
    }

    @Test
    void everyVariableHasADescriptionAndAType() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> variables = (Map<String, Map<String, Object>>) load(Map.of()).get("variable");
        assertTrue(variables.size() > 20);
        variables.forEach((name, v) -> {
            assertTrue(v.get("description") instanceof String d && !d.isBlank(), name + " needs a description");
            assertTrue(v.containsKey("type"), name + " needs a type");
        });
    }

    private static final Pattern ATTRIBUTE = Pattern.compile("^(\\s*)([A-Za-z_][A-Za-z0-9_-]*)(\\s*)=(?!=)\\s(.*)$");

    /**
     * terraform fmt's layout: two-space indentation, no tabs or trailing blanks, and within each run of
     * single-line attributes at one level the {@code =} aligned one space after the longest name (an attribute
     * whose value spans lines ends the run).
     */
    static List<String> formatProblems(String file, String text) {
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        if (!text.endsWith("\n")) {
            problems.add(file + " does not end with a newline");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int indent = line.length() - line.stripLeading().length();
            if (line.contains("\t") || line.endsWith(" ") || indent % 2 != 0) {
                problems.add(file + ":" + (i + 1) + " is not indented by two spaces without tabs or trailing blanks");
            }
        }
        for (int i = 0; i < lines.length; ) {
            Matcher first = ATTRIBUTE.matcher(lines[i]);
            if (!first.matches() || !balanced(first.group(4))) {
                i++;
                continue;
            }
            int j = i;
            int width = 0;
            List<Matcher> run = new ArrayList<>();
            while (j < lines.length) {
                Matcher m = ATTRIBUTE.matcher(lines[j]);
                if (!m.matches() || !m.group(1).equals(first.group(1)) || !balanced(m.group(4))) {
                    break;
                }
                run.add(m);
                width = Math.max(width, m.group(2).length());
                j++;
            }
            for (int k = 0; k < run.size(); k++) {
                if (run.get(k).group(2).length() + run.get(k).group(3).length() != width + 1) {
                    problems.add(file + ":" + (i + k + 1) + " does not align its = with the attributes around it");
                }
            }
            i = j;
        }
        return problems;
    }

    private static boolean balanced(String value) {
        int depth = 0;
        boolean quoted = false;
        char previous = 0;
        for (char c : value.toCharArray()) {
            if (c == '"' && previous != '\\') {
                quoted = !quoted;
            } else if (!quoted && "{[(".indexOf(c) >= 0) {
                depth++;
            } else if (!quoted && "}])".indexOf(c) >= 0) {
                depth--;
            }
            previous = c;
        }
        return depth == 0;
    }

    @Test
    void everyFileIsLaidOutAsTerraformFmtWould() throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("infra"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
                problems.addAll(formatProblems(file.getFileName().toString(), Files.readString(file)));
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(formatProblems("x.tf", "a = 1\nlonger = 2\n").get(0).contains("does not align"));
        assertTrue(formatProblems("x.tf", "resource \"a\" \"b\" {\n\tname = 1\n}\n").get(0).contains("two spaces"));
    }
}
