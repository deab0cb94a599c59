package io.ailurus.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runtime log levels through the API, read back through slf4j, and their expiry. */
class LogLevelRoutesTest {

    private static final String NAME = "io.ailurus.admin.test.LogLevelTarget";

    private AdminServerFixture admin;
    private Logger target;

    @BeforeEach
    void start() throws Exception {
        admin = new AdminServerFixture();
        target = LoggerFactory.getLogger(NAME); // exists, inherits INFO from root (logback-test.xml)
    }

    @AfterEach
    void stop() throws Exception {
        admin.put("/v1/config/log_level/" + NAME + "?level=info&expires=0", null);
        ((ch.qos.logback.classic.Logger) target).setLevel(null);
        admin.close();
    }

    @Test
    void settingALevelTakesEffectAndReadsBack() throws Exception {
        assertFalse(target.isDebugEnabled());
        HttpResponse<String> r = admin.put("/v1/config/log_level/" + NAME + "?level=debug&expires=0", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode change = AdminServerFixture.json(r);
        assertEquals(NAME, change.get("name").asText());
        assertEquals("info", change.get("previous_level").asText());
        assertEquals("debug", change.get("new_level").asText());
        assertEquals(0, change.get("expiration").asLong());

        assertTrue(target.isDebugEnabled(), "the running logger must see the new level");
        JsonNode read = AdminServerFixture.json(admin.get("/v1/config/log_level/" + NAME));
        assertEquals("debug", read.get("level").asText());
        assertEquals(0, read.get("expiration").asLong());
    }

    @Test
    void levelExpiresBackToTheConfiguredOne() throws Exception {
        HttpResponse<String> r = admin.put("/v1/config/log_level/" + NAME + "?level=trace&expires=1", null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, AdminServerFixture.json(r).get("expiration").asLong());
        JsonNode pending = AdminServerFixture.json(admin.get("/v1/config/log_level/" + NAME));
        // Either still pending (expiration counts down) or already expired on a very slow machine.
        if (pending.get("level").asText().equals("trace")) {
            assertEquals(1, pending.get("expiration").asLong());
        }

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (target.isTraceEnabled() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertFalse(target.isTraceEnabled(), "override did not expire within 30 s");
        assertFalse(target.isDebugEnabled());
        assertTrue(target.isInfoEnabled());
        JsonNode after = AdminServerFixture.json(admin.get("/v1/config/log_level/" + NAME));
        assertEquals("info", after.get("level").asText());
        assertEquals(0, after.get("expiration").asLong());
        // Restored to "inherit", not pinned to info: the root's level still governs it.
        assertEquals(null, ((ch.qos.logback.classic.Logger) target).getLevel());
    }

    @Test
    void defaultExpiryIsApplied() throws Exception {
        JsonNode change = AdminServerFixture.json(admin.put("/v1/config/log_level/" + NAME + "?level=warn", null));
        assertEquals(600, change.get("expiration").asLong());
        assertFalse(target.isInfoEnabled());
    }

    @Test
    void badLevelsAndUnknownLoggersAre400() throws Exception {
        assertEquals(400, admin.put("/v1/config/log_level/" + NAME + "?level=loud", null).statusCode());
        assertEquals(400, admin.put("/v1/config/log_level/" + NAME, null).statusCode());
        assertEquals(400, admin.put("/v1/config/log_level/" + NAME + "?level=debug&expires=-5", null).statusCode());
        assertTrue(target.isInfoEnabled() && !target.isDebugEnabled(), "rejected requests changed nothing");

        String unknown = "io.ailurus.admin.test.NeverCreated" + System.nanoTime();
        HttpResponse<String> r = admin.put("/v1/config/log_level/" + unknown + "?level=debug", null);
        assertEquals(400, r.statusCode());
        assertTrue(AdminServerFixture.json(r).get("message").asText().contains("force=true"));
        assertEquals(404, admin.get("/v1/config/log_level/" + unknown).statusCode());

        assertEquals(200, admin.put("/v1/config/log_level/" + unknown + "?level=debug&force=true&expires=0", null)
                .statusCode());
        assertTrue(LoggerFactory.getLogger(unknown).isDebugEnabled());
    }

    @Test
    void loggersListsNamesAndOptionallyLevels() throws Exception {
        admin.put("/v1/config/log_level/" + NAME + "?level=error&expires=0", null);
        JsonNode names = AdminServerFixture.json(admin.get("/v1/loggers"));
        JsonNode withLevels = AdminServerFixture.json(admin.get("/v1/loggers?include-levels=true"));
        boolean found = false;
        for (JsonNode l : names) {
            assertFalse(l.has("level"));
            found |= l.get("name").asText().equals(NAME);
        }
        assertTrue(found, "logger list lacks " + NAME);
        String level = null;
        for (JsonNode l : withLevels) {
            if (l.get("name").asText().equals(NAME)) {
                level = l.get("level").asText();
            }
            if (l.get("name").asText().equals("root")) {
                assertEquals("info", l.get("level").asText());
            }
        }
        assertEquals("error", level);
    }
}
