package dev.quarry.http;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.execute.QueryFailure;
import dev.quarry.render.RequestException;
import io.vertx.pgclient.PgException;

/** Every failure as problem+json, with the status that tells the client what to do; never a stack trace. */
public class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ServerExceptionMapper
    public Response badRequest(RequestException e, UriInfo uri) {
        return response(forFailure(e, uri.getPath()));
    }

    @ServerExceptionMapper
    public Response unknownQuery(UnknownQueryException e, UriInfo uri) {
        return response(Problem.of(404, "Unknown query", e.getMessage(), uri.getPath()));
    }

    @ServerExceptionMapper
    public Response brokenQuery(BrokenQueryException e, UriInfo uri) {
        return response(Problem.of(503, "Query out of service", e.getMessage(), uri.getPath()));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = e instanceof NotFoundException ? "Not found" : Response.Status.fromStatusCode(status) == null
                ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase();
        return response(Problem.of(status, title, e.getMessage(), uri.getPath()));
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response failure(Throwable e, UriInfo uri) {
        return response(forFailure(e, uri.getPath()));
    }

    /** The problem for a failure in or on the way to PostgreSQL, also sent as a stream's error event. */
    static Problem forFailure(Throwable e, String instance) {
        if (e instanceof RequestException request) {
            return new Problem("about:blank", "Bad parameter", 400, "parameter '" + request.parameter() + "' " + request.getMessage(),
                    instance, request.parameter(), request.allowed());
        }
        return switch (QueryFailure.of(e)) {
            case TIMEOUT -> Problem.of(504, "Query timed out",
                    "the query ran past its statement timeout and PostgreSQL stopped it; narrow it with parameters or filters, "
                            + "or raise the template's @timeout", instance);
            case UNAVAILABLE -> Problem.of(503, "Database unavailable",
                    "PostgreSQL cannot be reached (" + e.getMessage() + "); try again shortly", instance);
            case ERROR -> {
                if (e instanceof PgException pg) {
                    yield Problem.of(500, "Query failed in PostgreSQL", pg.getErrorMessage() + " (SQLSTATE " + pg.getSqlState() + ")",
                            instance);
                }
                LOG.errorf(e, "Unexpected failure on %s", instance);
                yield Problem.of(500, "Internal error", "the server failed unexpectedly; the log has the details", instance);
            }
        };
    }

    /** 401 with the RFC 6750 challenge; {@code error="invalid_token"} when a token was sent and rejected. */
    static Response unauthorized(String detail, String instance, boolean tokenRejected) {
        return Response.status(401).type(Problem.MEDIA_TYPE).entity(json(Problem.of(401, "Unauthorized", detail, instance)))
                .header(HttpHeaders.WWW_AUTHENTICATE, tokenRejected ? "Bearer error=\"invalid_token\"" : "Bearer").build();
    }

    static Response forbidden(String detail, String instance) {
        return response(Problem.of(403, "Forbidden", detail, instance));
    }

    static String json(Problem problem) {
        try {
            return JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(json(problem)).build();
    }
}
