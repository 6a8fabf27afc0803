package dev.quarry.http;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.encode.Format;
import dev.quarry.execute.QueryProblem;
import dev.quarry.render.RequestException;
import dev.quarry.serve.BrokenQueryException;
import dev.quarry.serve.BudgetUnknownException;
import dev.quarry.serve.BudgetVerdict;
import dev.quarry.serve.OverBudgetException;
import dev.quarry.serve.QuotaExceededException;
import dev.quarry.serve.ShuttingDownException;
import dev.quarry.serve.TooManyStreamsException;
import dev.quarry.serve.UnknownQueryException;

/** Every failure as problem+json, with the status that tells the client what to do; never a stack trace. */
public class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);
    /** How long a client should wait before it tries again a request refused for want of capacity. */
    private static final String RETRY_AFTER_SECONDS = "1";
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
    public Response overBudget(OverBudgetException e, UriInfo uri) {
        return refusal(e, uri.getPath());
    }

    @ServerExceptionMapper
    public Response budgetUnknown(BudgetUnknownException e, UriInfo uri) {
        return refusal(e, uri.getPath());
    }

    @ServerExceptionMapper
    public Response overQuota(QuotaExceededException e, UriInfo uri) {
        return refusal(e, uri.getPath());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status == 406 && uri.getPath().startsWith("/queries/")) {
            return notAcceptable(uri.getPath());
        }
        String title = e instanceof NotFoundException ? "Not found" : Response.Status.fromStatusCode(status) == null
                ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase();
        return response(Problem.of(status, title, e.getMessage(), uri.getPath()));
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response failure(Throwable e, UriInfo uri) {
        Problem problem = forFailure(e, uri.getPath());
        // every 503 from here is a passing state (busy, unreachable, stopping): say when to come back
        return problem.status() == 503 ? retryLater(problem) : response(problem);
    }

    /**
     * The answer to a failure before a stream's first byte: a refusal as its own status, anything else as
     * {@link #failure} answers it.
     */
    static Response beforeFirstByte(Throwable e, String instance) {
        Response refusal = refusal(e, instance);
        if (refusal != null) {
            return refusal;
        }
        Problem problem = forFailure(e, instance);
        return problem.status() == 503 ? retryLater(problem) : response(problem);
    }

    /**
     * A request refused before it ran, with what the refusal is about: 422 over its budget, 503 with a budget
     * that could not be checked, 429 over its caller's quota; null for any other failure.
     */
    private static Response refusal(Throwable e, String instance) {
        if (e instanceof OverBudgetException over) {
            return withMembers(Problem.of(422, "Over budget", e.getMessage(), instance), over.decision().members(), null);
        }
        if (e instanceof BudgetUnknownException unknown) {
            boolean passing = unknown.decision().verdict() == BudgetVerdict.NO_PLAN;
            return withMembers(Problem.of(503, "Budget not checked", e.getMessage(), instance), unknown.decision().members(),
                    passing ? RETRY_AFTER_SECONDS : null);
        }
        if (e instanceof QuotaExceededException quota) {
            return withMembers(Problem.of(429, "Too many requests", e.getMessage(), instance), quota.members(),
                    Long.toString(quota.retryAfter().toSeconds()));
        }
        return null;
    }

    /** The problem with extension members beside its own (RFC 9457, section 3.2). */
    private static Response withMembers(Problem problem, Map<String, Object> members, String retryAfter) {
        Map<String, Object> body = new LinkedHashMap<>(JSON.convertValue(problem, Map.class));
        members.forEach(body::putIfAbsent);
        Response.ResponseBuilder builder = Response.status(problem.status()).type(Problem.MEDIA_TYPE);
        if (retryAfter != null) {
            builder.header("Retry-After", retryAfter);
        }
        try {
            return builder.entity(JSON.writeValueAsString(body)).build();
        } catch (JsonProcessingException failure) {
            throw new IllegalStateException(failure);
        }
    }

    /** An Accept that none of a query's representations meets: which ones there are, in {@code allowed}. */
    private static Response notAcceptable(String instance) {
        List<String> served = Arrays.stream(Format.values()).map(Format::mediaType).toList();
        return response(new Problem("about:blank", "Not acceptable", 406, "a query's answer is served as " + String.join(", ", served)
                + "; ask for one of them in the Accept header", instance, null, served));
    }

    /** The problem for a failure in or on the way to PostgreSQL, also sent as a stream's error event. */
    static Problem forFailure(Throwable e, String instance) {
        if (e instanceof RequestException request) {
            return new Problem("about:blank", "Bad parameter", 400, "parameter '" + request.parameter() + "' " + request.getMessage(),
                    instance, request.parameter(), request.allowed());
        }
        if (e instanceof TooManyStreamsException) {
            return Problem.of(503, "Too many streams", e.getMessage(), instance);
        }
        if (e instanceof ShuttingDownException) {
            return Problem.of(503, "Server shutting down", e.getMessage(), instance);
        }
        QueryProblem problem = QueryProblem.of(e);
        if (problem.unexpected()) {
            LOG.errorf(e, "Unexpected failure on %s", instance);
        }
        return Problem.of(problem.status(), problem.title(), problem.detail(), instance);
    }

    /** 401 with the RFC 6750 challenge; {@code error="invalid_token"} when a token was sent and rejected. */
    static Response unauthorized(String detail, String instance, boolean tokenRejected) {
        return builder(Problem.of(401, "Unauthorized", detail, instance))
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

    static Response response(Problem problem) {
        return builder(problem).build();
    }

    private static Response retryLater(Problem problem) {
        return builder(problem).header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    private static Response.ResponseBuilder builder(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(json(problem));
    }
}
