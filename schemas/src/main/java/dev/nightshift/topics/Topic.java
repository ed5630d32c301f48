package dev.nightshift.topics;

import org.apache.kafka.common.serialization.Serde;

/** A topic with the serdes of its keys and values: the only way code names a topic. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    /** The dead-letter topic of this one: same key, the poison record's bytes. */
    public String deadLetterName() {
        return TopicNames.deadLetter(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
