package dev.rankcluster.server.system;

import dev.rankcluster.model.ProblemJson;
import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat refuses some requests before Spring sees them (a malformed URL escape, an illegal header, broken
 * chunked framing): this valve answers those with a problem document too, instead of Tomcat's HTML page.
 * Only the Tomcat plumbing is here; the document is {@link ProblemJson}'s, shared with the other app.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType(ProblemJson.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(ProblemJson.refusedByContainer(status));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException gone) {
            // The connection is gone or the answer already started: nothing more to say.
        }
    }
}
