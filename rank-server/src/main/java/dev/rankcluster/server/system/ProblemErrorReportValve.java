package dev.rankcluster.server.system;

import dev.rankcluster.model.ProblemType;
import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat refuses some requests before Spring sees them (a malformed URL escape, an illegal header, broken
 * chunked framing): this valve answers those with a problem document too, instead of Tomcat's HTML page.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ProblemType type = ProblemTypes.forStatus(status);
        String detail = status == 400 ? "malformed request: check the URL, the headers and the body's framing"
                : type.title();
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("""
                        {"type":"%s","title":"%s","status":%d,"detail":"%s"}""".formatted(
                        type.uri(), type.title(), status, detail));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException gone) {
            // The connection is gone or the answer already started: nothing more to say.
        }
    }
}
