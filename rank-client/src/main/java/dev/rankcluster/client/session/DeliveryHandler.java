package dev.rankcluster.client.session;

/**
 * Checks and executes a delivery that came on the session, exactly as one posted to this client. A refusal is an
 * {@link org.springframework.web.ErrorResponseException} whose status and problem type the acknowledgement carries.
 */
public interface DeliveryHandler {

    void receive(String timestamp, String signature, byte[] body);
}
