package io.pinhole.proxy.admin;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Call detail records: searched and paged as JSON, or exported as CSV ({@code Accept: text/csv}
 * or {@code ?format=csv}, see application.yml's content negotiation).
 */
@RestController
@RequestMapping(path = "/api/cdrs", produces = MediaType.APPLICATION_JSON_VALUE)
public class CdrController {

    static final String TEXT_CSV = "text/csv";
    private static final Logger LOG = LoggerFactory.getLogger(CdrController.class);

    private final CdrSearch search;

    public CdrController(CdrSearch search) {
        this.search = search;
    }

    @GetMapping
    @Parameter(name = "format", in = ParameterIn.QUERY, description = "csv: the same as Accept: text/csv",
            schema = @Schema(allowableValues = {"json", "csv"}))
    Page<CdrView> search(
            @Parameter(description = "a substring of caller or callee (any case)") @RequestParam(required = false) String party,
            @Parameter(description = "started at or after (ISO-8601 instant)") @RequestParam(required = false) Instant from,
            @Parameter(description = "started before (ISO-8601 instant)") @RequestParam(required = false) Instant to,
            @Parameter(description = "answered, busy, no-answer, cancelled, rejected, failed, admin-hangup")
            @RequestParam(required = false) String outcome,
            @Parameter(description = "DIRECT, RELAY_UDP, ...") @RequestParam(required = false) String mediaPath,
            @Parameter(description = "the caller leg's Call-ID") @RequestParam(required = false) String callId,
            @Parameter(description = "at most this many (1-1000, default 100)") @RequestParam(required = false) Integer limit,
            @Parameter(description = "skip this many, newest first (default 0)") @RequestParam(required = false) Integer offset) {
        return search.page(new CdrSearch.Filter(party, from, to, outcome, mediaPath, callId), Page.Window.of(limit, offset));
    }

    /**
     * The same search as CSV: a header row, then one row per CDR, newest first; every match
     * (up to {@value CdrSearch#MAX_CSV_ROWS}) unless {@code limit} is given. {@code X-Total-Count}
     * says how many match.
     */
    @GetMapping(produces = TEXT_CSV)
    @ApiResponse(responseCode = "200", description = "RFC 4180 CSV, UTF-8, with a header row",
            content = @Content(mediaType = TEXT_CSV, schema = @Schema(type = "string")))
    void export(@RequestParam(required = false) String party, @RequestParam(required = false) Instant from,
                @RequestParam(required = false) Instant to, @RequestParam(required = false) String outcome,
                @RequestParam(required = false) String mediaPath, @RequestParam(required = false) String callId,
                @RequestParam(required = false) Integer limit, @RequestParam(required = false) Integer offset,
                HttpServletResponse response) throws IOException {
        CdrSearch.Filter filter = new CdrSearch.Filter(party, from, to, outcome, mediaPath, callId);
        if (limit != null && (limit < 1 || limit > CdrSearch.MAX_CSV_ROWS)) {
            throw ApiException.badRequest("limit: must be between 1 and " + CdrSearch.MAX_CSV_ROWS);
        }
        if (offset != null && offset < 0) {
            throw ApiException.badRequest("offset: must be 0 or more");
        }
        long total = search.count(filter); // a database failure is still answered with a JSON 503 here
        response.setContentType(TEXT_CSV + ";charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"cdrs.csv\"");
        response.setHeader("X-Total-Count", Long.toString(total));
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        try {
            search.csv(filter, limit == null ? CdrSearch.MAX_CSV_ROWS : limit, offset == null ? 0 : offset, out);
            out.flush();
        } catch (UncheckedIOException e) {
            LOG.info("CSV export of CDRs cut short: {}", e.getCause().toString());
        }
    }
}
