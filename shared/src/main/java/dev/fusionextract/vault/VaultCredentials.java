package dev.fusionextract.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.secrets.Secrets;
import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.model.SecretBundleContentDetails;
import com.oracle.bmc.secrets.requests.GetSecretBundleRequest;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.logging.Redactor;
import dev.fusionextract.oci.OciCalls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the IDCS credentials from an OCI Vault secret (retrying what is retryable, through {@link OciCalls}). The secret's content is JSON:
 * {@code {"clientId":..,"clientSecret":..,"username":..,"password":..,"scope":..}} (username, password and scope
 * optional). Errors name the secret OCID and the missing fields, never a value; every secret value read is
 * registered with the {@link Redactor}.
 */
public final class VaultCredentials {

    static final Set<String> FIELDS = Set.of("clientId", "clientSecret", "username", "password", "scope");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Secrets secrets;
    private final OciCalls calls;
    private final Redactor redactor;

    public VaultCredentials(Secrets secrets, OciCalls calls, Redactor redactor) {
        this.secrets = secrets;
        this.calls = calls;
        this.redactor = redactor;
    }

    public IdcsCredentials read(String secretOcid) {
        SecretBundleContentDetails content;
        try {
            content = calls.call("Reading Vault secret " + secretOcid, () -> secrets.getSecretBundle(GetSecretBundleRequest.builder()
                    .secretId(secretOcid)
                    .stage(GetSecretBundleRequest.Stage.Current)
                    .build())).getSecretBundle().getSecretBundleContent();
        } catch (BmcException e) {
            throw failure(secretOcid, e);
        }
        if (!(content instanceof Base64SecretBundleContentDetails base64) || base64.getContent() == null) {
            throw new PermanentException("Vault secret " + secretOcid + " has no BASE64 content: store the credentials JSON "
                    + "as the secret's content (see README \"Credentials\").");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.getContent());
        } catch (IllegalArgumentException e) {
            throw new PermanentException("Vault secret " + secretOcid + " content is not valid base64: re-create the secret version.");
        }
        return parse(secretOcid, bytes);
    }

    IdcsCredentials parse(String secretOcid, byte[] bytes) {
        String where = "Vault secret " + secretOcid;
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            // Jackson's message would quote the content: leave it out.
            throw new PermanentException(where + " does not hold JSON: store {\"clientId\":\"...\",\"clientSecret\":\"...\"} "
                    + "(optionally username, password, scope).");
        }
        if (root == null || !root.isObject()) {
            throw new PermanentException(where + " must hold a JSON object: {\"clientId\":\"...\",\"clientSecret\":\"...\"}.");
        }
        List<String> problems = new ArrayList<>();
        Optional<String> clientId = field(root, "clientId", problems);
        Optional<String> clientSecret = field(root, "clientSecret", problems);
        Optional<String> username = field(root, "username", problems);
        Optional<String> password = field(root, "password", problems);
        Optional<String> scope = field(root, "scope", problems);
        clientSecret.ifPresent(redactor::register);
        password.ifPresent(redactor::register);
        if (clientId.isEmpty()) {
            problems.add("clientId is missing");
        }
        if (clientSecret.isEmpty()) {
            problems.add("clientSecret is missing");
        }
        if (username.isPresent() != password.isPresent()) {
            problems.add("username and password go together: set both for the password grant, or neither");
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            problems.add("unknown field(s) " + unknown + "; the fields are " + FIELDS);
        }
        if (!problems.isEmpty()) {
            throw new PermanentException(where + " is not usable: " + String.join("; ", problems) + ". Fix the secret's content "
                    + "(README \"Credentials\") and start the extract again.");
        }
        return new IdcsCredentials(clientId.get(), clientSecret.get(), username, password, scope);
    }

    private static Optional<String> field(JsonNode root, String name, List<String> problems) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            problems.add(name + " must be a string");
            return Optional.empty();
        }
        String value = node.asText().trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static RuntimeException failure(String secretOcid, BmcException e) {
        String where = "reading Vault secret " + secretOcid;
        int status = e.getStatusCode();
        if (status == 404 || status == 403) {
            return new PermanentException(where + ": not found, or this principal may not read it (" + e.getServiceCode()
                    + "). Check IDCS_SECRET_OCID and a policy like 'Allow dynamic-group <functions> to read secret-bundles "
                    + "in compartment <c> where target.secret.id = '<ocid>''.");
        }
        if (status == 401) {
            return new PermanentException(where + ": OCI did not accept our signature (" + e.getServiceCode()
                    + "). Check the resource principal (in Functions) or the OCI config profile (on a workstation).");
        }
        return new PermanentException(where + " failed with HTTP " + status + " (" + e.getServiceCode() + ").");
    }
}
