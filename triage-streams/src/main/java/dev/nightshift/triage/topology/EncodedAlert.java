package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Severity;
import dev.nightshift.serde.EncodedRecord;
import org.apache.avro.Schema;

import java.time.Instant;
import java.util.Map;

/**
 * An alert as triage read it from {@code alerts.raw}, still holding the Avro binary it was read from,
 * so that the copy of it inside each {@code TriagedAlert} on a team topic is written by copying those
 * bytes rather than encoding some twenty fields again (see {@link EncodedRecord}).
 *
 * <p>Any setter (and {@link #put(int, Object)}) drops the bytes, so a changed alert is encoded as usual.
 * Triage must not change the maps of labels or annotations in place (it never does). Note that, as for
 * every generated record, {@code equals} is false against a plain {@link Alert} (the classes differ).
 */
public final class EncodedAlert extends Alert implements EncodedRecord {
    private byte[] buffer;
    private int offset;
    private int length;

    /** Offers {@code length} bytes of {@code buffer} from {@code offset}: the alert's body in its class's own schema. */
    void encodedAs(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    private void changed() {
        buffer = null;
    }

    @Override
    public byte[] encodedBuffer() {
        return buffer;
    }

    @Override
    public int encodedOffset() {
        return offset;
    }

    @Override
    public int encodedLength() {
        return length;
    }

    @Override
    public Schema encodedSchema() {
        return Alert.getClassSchema();
    }

    @Override
    public void put(int field, Object value) {
        changed();
        super.put(field, value);
    }

    @Override
    public void setAlertId(String value) {
        changed();
        super.setAlertId(value);
    }

    @Override
    public void setSource(AlertSource value) {
        changed();
        super.setSource(value);
    }

    @Override
    public void setFingerprint(String value) {
        changed();
        super.setFingerprint(value);
    }

    @Override
    public void setState(AlertState value) {
        changed();
        super.setState(value);
    }

    @Override
    public void setSeverity(Severity value) {
        changed();
        super.setSeverity(value);
    }

    @Override
    public void setName(String value) {
        changed();
        super.setName(value);
    }

    @Override
    public void setTitle(String value) {
        changed();
        super.setTitle(value);
    }

    @Override
    public void setDescription(String value) {
        changed();
        super.setDescription(value);
    }

    @Override
    public void setService(String value) {
        changed();
        super.setService(value);
    }

    @Override
    public void setTeam(String value) {
        changed();
        super.setTeam(value);
    }

    @Override
    public void setResource(String value) {
        changed();
        super.setResource(value);
    }

    @Override
    public void setPlaybook(String value) {
        changed();
        super.setPlaybook(value);
    }

    @Override
    public void setLabels(Map<String,String> value) {
        changed();
        super.setLabels(value);
    }

    @Override
    public void setAnnotations(Map<String,String> value) {
        changed();
        super.setAnnotations(value);
    }

    @Override
    public void setAccount(String value) {
        changed();
        super.setAccount(value);
    }

    @Override
    public void setRegion(String value) {
        changed();
        super.setRegion(value);
    }

    @Override
    public void setMetricNamespace(String value) {
        changed();
        super.setMetricNamespace(value);
    }

    @Override
    public void setMetricName(String value) {
        changed();
        super.setMetricName(value);
    }

    @Override
    public void setLink(String value) {
        changed();
        super.setLink(value);
    }

    @Override
    public void setSourceId(String value) {
        changed();
        super.setSourceId(value);
    }

    @Override
    public void setOccurredAt(Instant value) {
        changed();
        super.setOccurredAt(value);
    }

    @Override
    public void setReceivedAt(Instant value) {
        changed();
        super.setReceivedAt(value);
    }

    @Override
    public void setStartsAt(Instant value) {
        changed();
        super.setStartsAt(value);
    }

    @Override
    public void setEndsAt(Instant value) {
        changed();
        super.setEndsAt(value);
    }
}
