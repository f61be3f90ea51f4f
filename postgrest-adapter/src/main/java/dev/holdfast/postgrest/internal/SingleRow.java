package dev.holdfast.postgrest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.holdfast.ErrorDetails;
import dev.holdfast.InvalidRequestException;
import dev.holdfast.NotFoundException;
import java.util.Locale;

/**
 * The one row of a single-object answer. PostgREST answers {@code Accept: application/vnd.pgrst.object+json} with
 * an object (or 406 PGRST116); a proxy that drops the Accept header, or a server that ignores it, answers with an
 * array instead, which is understood: one row is the row, none is not found, several are an error. Thread-safe.
 */
public final class SingleRow {
  private SingleRow() {}

  /**
   * The row in {@code body}.
   *
   * @param what the request, such as {@code GET /tasks}, for messages
   * @throws NotFoundException if there is none
   * @throws InvalidRequestException if there are several, or the body is not a row
   */
  public static ObjectNode of(JsonNode body, int status, String what) {
    JsonNode answer = body.isArray() && body.size() == 1 ? body.get(0) : body;
    if (answer.isObject()) {
      return (ObjectNode) answer;
    }
    ErrorDetails details = ErrorDetails.of(ErrorMapper.BACKEND).withHttpStatus(status);
    if (answer.isArray() && answer.size() > 1) {
      throw new InvalidRequestException(what + " matched " + answer.size() + " rows where one was expected",
          details.withCode("PGRST116").withHint("A single-object read matched several rows; filter on a unique "
              + "key."), null);
    }
    if (!answer.isMissingNode() && !answer.isNull() && !(answer.isArray() && answer.isEmpty())) {
      throw new InvalidRequestException(what + " answered with a JSON " + answer.getNodeType().name()
          .toLowerCase(Locale.ROOT) + ", not a row", details, null);
    }
    throw new NotFoundException("No row matched " + what, details.withCode("PGRST116"), null);
  }
}
