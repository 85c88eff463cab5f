package dev.fusionextract.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/** How input JSON is read everywhere (requests, stage messages): strictly, so that an ambiguous document is refused. */
public final class StrictJson {

    private StrictJson() {
    }

    /** Refuses duplicate keys (which value would win?) and anything after the document. */
    public static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        return mapper;
    }

    /** Jackson's complaint in one line, without the source excerpt it appends (which may quote a secret). */
    public static String problem(IOException e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        message = message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
        if (e instanceof JsonProcessingException json && json.getLocation() != null) {
            message += " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr();
        }
        return shorten(message.replaceAll("\\(for Object starting at \\[.*?\\]\\)", "").trim());
    }

    public static String shorten(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...";
    }
}
