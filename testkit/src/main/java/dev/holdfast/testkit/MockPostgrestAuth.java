package dev.holdfast.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.testkit.internal.rest.PgError;
import dev.holdfast.testkit.internal.rest.PgJsonb;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PostgREST's JWT handling ({@code PostgREST.Auth}, over jose-jwt) for HS256/384/512 tokens: no {@code
 * Authorization: Bearer} means the anonymous role; a token must have three parts, a valid signature under the
 * configured secret and valid
 * {@code exp}/{@code nbf}/{@code iat} claims (30 s of skew), else {@code 401 PGRST301}/{@code PGRST303} with
 * PostgREST's {@code WWW-Authenticate}; its {@code role} claim is the role, the anonymous role without one.
 * Thread-safe. {@link #sign} makes tokens for tests.
 */
final class MockPostgrestAuth {
  private static final long SKEW_SECONDS = 30;

  private final byte[] secret;
  private final String anonRole;
  private final Clock clock;

  MockPostgrestAuth(String secret, String anonRole, Clock clock) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.anonRole = anonRole;
    this.clock = clock;
  }

  /** The session of a request's {@code Authorization} header. */
  RowPolicy.Session session(String authorization) {
    String token = bearer(authorization);
    if (token == null) {
      return new RowPolicy.Session(anonRole, claimsWithRole(PgJsonb.MAPPER.createObjectNode(), anonRole));
    }
    if (token.isEmpty()) {
      throw decode("Empty JWT is sent in Authorization header", null);
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw decode("Expected 3 parts in JWT; got " + parts.length, null);
    }
    // What jose-jwt reports, as PostgREST words it: an unreadable token "couldn't be decoded", alg none is a bad
    // algorithm, a key that cannot check the algorithm or a signature no key verifies is a key error.
    JsonNode header = json(parts[0]);
    byte[] given = base64(parts[2]);
    if (header == null || !header.isObject() || given == null || base64(parts[1]) == null) {
      throw decode("JWT couldn't be decoded", null);
    }
    String alg = header.path("alg").asText();
    if (alg.equals("none")) {
      throw decode("Wrong or unsupported encoding algorithm", "JWT is unsecured but expected 'alg' was not 'none'");
    }
    String mac = switch (alg) {
      case "HS256" -> "HmacSHA256";
      case "HS384" -> "HmacSHA384";
      case "HS512" -> "HmacSHA512";
      default -> null;
    };
    if (mac == null) {
      throw decode("No suitable key or wrong key type", "No suitable key was found to decode the JWT");
    }
    if (!MessageDigest.isEqual(hmac(mac, parts[0] + "." + parts[1]), given)) {
      throw decode("No suitable key or wrong key type", "None of the keys was able to decode the JWT");
    }
    JsonNode claims = json(parts[1]);
    if (claims == null || !claims.isObject()) {
      throw claimsError("Parsing claims failed");
    }
    long now = clock.instant().getEpochSecond();
    checkTime(claims, "exp", "JWT expired", "The JWT 'exp' claim must be a number", v -> now <= v + SKEW_SECONDS);
    checkTime(claims, "nbf", "JWT not yet valid", "The JWT 'nbf' claim must be a number",
        v -> now >= v - SKEW_SECONDS);
    checkTime(claims, "iat", "JWT issued at future", "The JWT 'iat' claim must be a number",
        v -> now >= v - SKEW_SECONDS);
    JsonNode aud = claims.get("aud");
    if (aud != null && !aud.isNull() && !aud.isTextual() && !(aud.isArray() && allText(aud))) {
      throw claimsError("The JWT 'aud' claim must be a string or an array of strings");
    }
    JsonNode role = claims.get("role");
    String r = role == null ? anonRole : role.isTextual() ? role.textValue() : role.toString();
    return new RowPolicy.Session(r, claimsWithRole((ObjectNode) claims, r));
  }

  private static boolean allText(JsonNode array) {
    for (JsonNode e : array) {
      if (!e.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private interface LongCheck {
    boolean ok(long value);
  }

  private static void checkTime(JsonNode claims, String name, String failed, String notNumber, LongCheck check) {
    JsonNode v = claims.get(name);
    if (v == null) {
      return;
    }
    if (!v.isNumber()) {
      throw claimsError(notNumber);
    }
    if (!check.ok(v.decimalValue().longValue())) {
      throw claimsError(failed);
    }
  }

  private static ObjectNode claimsWithRole(ObjectNode claims, String role) {
    ObjectNode copy = claims.deepCopy();
    copy.put("role", role);
    return copy;
  }

  /** The token of {@code Bearer <token>} (Wai's {@code extractBearerAuth}), or null. */
  static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    int space = 0;
    while (space < authorization.length() && !Character.isWhitespace(authorization.charAt(space))) {
      space++;
    }
    if (space >= authorization.length() || !authorization.substring(0, space).equalsIgnoreCase("bearer")) {
      return null;
    }
    return authorization.substring(space + 1);
  }

  private static JsonNode json(String base64url) {
    try {
      return PgJsonb.parse(new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | PgError e) {
      return null;
    }
  }

  private static byte[] base64(String part) {
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private byte[] hmac(String algorithm, String signingInput) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret, algorithm));
      return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** An HS256 token with {@code claims}, signed with this server's secret. */
  String sign(Map<String, ?> claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload;
    try {
      payload = b64.encodeToString(PgJsonb.MAPPER.writeValueAsBytes(claims));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("claims are not JSON: " + e.getOriginalMessage(), e);
    }
    return header + "." + payload + "." + b64.encodeToString(hmac("HmacSHA256", header + "." + payload));
  }

  private static MockPostgrestError decode(String message, String details) {
    return new MockPostgrestError(401, "PGRST301", message, details, null)
        .header("WWW-Authenticate", invalidToken(message));
  }

  private static MockPostgrestError claimsError(String message) {
    return new MockPostgrestError(401, "PGRST303", message, null, null)
        .header("WWW-Authenticate", invalidToken(message));
  }

  /** {@code Bearer error="invalid_token", error_description=<show message>}. */
  private static String invalidToken(String message) {
    return "Bearer error=\"invalid_token\", error_description=\"" + message.replace("\\", "\\\\").replace("\"",
        "\\\"") + "\"";
  }
}
