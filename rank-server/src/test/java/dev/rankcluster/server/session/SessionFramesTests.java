package dev.rankcluster.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.SessionProtocol;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import tools.jackson.databind.json.JsonMapper;

/** The hand-written frames read back, with a JSON reader, as exactly what was written. */
class SessionFramesTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Property(tries = 500)
    void deliveryFrame_anyBody_readsBackByteForByte(@ForAll @Chars({'"', '\\', '/', '\u0000', '\n', '\u001f', 'é', '€'})
                                                    @CharRange(from = ' ', to = '~') String body,
                                                    @ForAll long timestamp) {
        SessionProtocol.Frame frame = JSON.readValue(SessionFrames.delivery(timestamp, "sha256=ab\"c", body),
                SessionProtocol.Frame.class);

        assertThat(frame.type()).isEqualTo("delivery");
        assertThat(frame.timestamp()).isEqualTo(timestamp);
        assertThat(frame.signature()).isEqualTo("sha256=ab\"c");
        assertThat(frame.body()).isEqualTo(body);
    }

    @Property(tries = 100)
    void renewedFrame_readsBack(@ForAll int rank, @ForAll long epoch, @ForAll long ttl) {
        SessionProtocol.Renewed renewed = JSON.readValue(SessionFrames.renewed(new LeaseRenewal(rank, epoch, ttl)),
                SessionProtocol.Renewed.class);

        assertThat(renewed).isEqualTo(new SessionProtocol.Renewed("renewed", rank, epoch, ttl));
    }
}
