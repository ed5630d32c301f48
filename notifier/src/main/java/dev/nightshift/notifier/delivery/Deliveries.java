package dev.nightshift.notifier.delivery;

import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.kafka.OffsetTransactions;
import dev.nightshift.kafka.OffsetTransactions.Commit;
import dev.nightshift.schema.Delivery;
import dev.nightshift.schema.DeliveryStatus;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.NotificationLedger;
import dev.nightshift.schema.NotificationLedgerState;
import dev.nightshift.schema.NotificationTarget;
import dev.nightshift.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Delivers one outbox record, at most once per notification id:
 * <ul>
 *   <li>a notification the ledger has FINISHED was delivered: its offset is committed, nothing is called;</li>
 *   <li>something new ({@link Action.Create}) is recorded STARTED on the ledger, in one transaction fenced by the
 *       worker's group generation, before it is made; once made, FINISHED with its ref, the {@link Delivery} record (SENT)
 *       and the record's offset are committed together. The STARTED transaction commits the record's own offset, so
 *       that a worker stopped after it reads the record again;</li>
 *   <li>a STARTED without FINISHED (a worker stopped after the call, or a call whose result is unknown) is looked for
 *       before anything else: found, it is FINISHED with what was found and its Delivery is FOUND; not found, it is made;</li>
 *   <li>an edit or an idempotent request ({@link Action.Edit}) is made and its Delivery and offset committed: after a
 *       crash it is made again;</li>
 *   <li>nothing to call ({@link Action.Skip}): its Delivery (SKIPPED, with why) and offset.</li>
 * </ul>
 * A failure is thrown to the caller, whose retry policy decides; {@link #giveUp} then writes the record to the outbox's
 * dead-letter topic with a FAILED Delivery. What was made and could not be recorded yet (Kafka unavailable) is kept in
 * memory and recorded when the record is read again, without a new call. Poll thread only.
 */
final class Deliveries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
    /** A delivery cut short is looked for from this long before its STARTED (clocks differ). */
    static final Duration LOOK_BACK = Duration.ofMinutes(5);

    /** What became of a record. */
    enum Kind {
        /** Its Delivery (or dead letter) and offset are committed. */
        DONE,
        /** This worker no longer owns the partition: nothing of it was committed; the record is read again by its owner. */
        FENCED,
        /** Kafka or the schema registry could not be used: the record is to be tried again after a short wait. */
        UNAVAILABLE,
        /** Its destination's pace asks it to wait this long (not a failure). */
        PACED
    }

    record Result(Kind kind, Duration delay) {
        static final Result DONE = new Result(Kind.DONE, Duration.ZERO);
        static final Result FENCED = new Result(Kind.FENCED, Duration.ZERO);
        static final Result UNAVAILABLE = new Result(Kind.UNAVAILABLE, Duration.ZERO);

        static Result paced(Duration wait) {
            return new Result(Kind.PACED, wait);
        }
    }

    private final Deliverer deliverer;
    private final OffsetTransactions transactions;
    private final Topic<String, NotificationLedger> ledger;
    private final Topic<String, Delivery> deliveries;
    private final String worker;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    /** What this worker made and has not recorded yet, by notification id. */
    private final Map<String, LedgerView.Made> madeNotRecorded = new HashMap<>();
    /** Notifications whose last call, by this worker, was refused: nothing to look for before the next. */
    private final Set<String> refused = new HashSet<>();

    Deliveries(Deliverer deliverer, OffsetTransactions transactions, Topic<String, NotificationLedger> ledger,
               Topic<String, Delivery> deliveries, String worker, Clock clock, DeliveryMetrics metrics) {
        this.deliverer = deliverer;
        this.transactions = transactions;
        this.ledger = ledger;
        this.deliveries = deliveries;
        this.worker = worker;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Delivers the notification read at {@code record}, as the class comment says. Throws what its target threw
     * ({@link DeliveryException} for a service's answer), having committed nothing for the record but a STARTED.
     *
     * @param attempt this try's number, from 1
     */
    Result deliver(ConsumerRecord<byte[], byte[]> record, Notification n, Ledger.Partition entries, ConsumerGroupMetadata group,
                   int attempt) {
        String id = n.getNotificationId();
        Optional<NotificationLedger> entry = entries.get(id);
        if (entry.isPresent() && entry.get().getState() == NotificationLedgerState.FINISHED) {
            LOG.info("notification {} was delivered already ({} {}): not again", id, entry.get().getDestination(), entry.get().getRef());
            return result(transactions.commit(List::of, next(record), group));
        }
        Action action = deliverer.plan(n, entries);
        if (action instanceof Action.Skip skip) {
            return finish(record, n, entries, null, DeliveryStatus.SKIPPED, skip.destination(), null, attempt, skip.reason(), group);
        }
        if (action instanceof Action.Edit edit) {
            Duration wait = edit.pace().take();
            if (!wait.isZero()) {
                return Result.paced(wait);
            }
            String ref = edit.call().call();
            return finish(record, n, entries, null, DeliveryStatus.SENT, edit.destination(), ref, attempt, null, group);
        }
        Action.Create create = (Action.Create) action;
        LedgerView.Made made = madeNotRecorded.get(id);
        if (made != null) {
            return finish(record, n, entries, made, DeliveryStatus.SENT, made.destination(), made.ref(), attempt, null, group);
        }
        Duration wait = create.pace().take();
        if (!wait.isZero()) {
            return Result.paced(wait);
        }
        boolean cutShort = entry.isPresent() && !refused.contains(id);
        if (cutShort || create.lookFirst()) {
            Instant startedAt = entry.map(NotificationLedger::getAt).orElseGet(clock::instant);
            if (create.find() == null) {
                return finish(record, n, entries, new LedgerView.Made(create.destination(), null), DeliveryStatus.SKIPPED,
                        create.destination(), null, attempt, "may have been delivered before the notifier stopped, and "
                                + create.destination() + " cannot be searched: not delivered again", group);
            }
            Optional<String> found = create.find().find(startedAt.minus(LOOK_BACK));
            if (found.isPresent()) {
                LedgerView.Made was = new LedgerView.Made(create.destination(), found.get());
                LOG.info("notification {} found made ({} {}): not made again", id, was.destination(), was.ref());
                return finish(record, n, entries, was, DeliveryStatus.FOUND, was.destination(), was.ref(), attempt, null, group);
            }
        }
        NotificationLedger started = ledgerEntry(n, NotificationLedgerState.STARTED, create.destination(), null);
        Commit startedCommit = transactions.commit(() -> List.of(ledgerRecord(record.partition(), id, started)), ownOffset(record), group);
        if (startedCommit != Commit.COMMITTED) {
            return result(startedCommit);
        }
        entries.put(id, started);
        refused.remove(id);
        String ref;
        try {
            ref = create.make().call();
        } catch (RuntimeException e) {
            if (DeliveryFailures.nothingMade(e)) {
                refused.add(id);
            }
            throw e;
        }
        LedgerView.Made now = new LedgerView.Made(create.destination(), ref);
        madeNotRecorded.put(id, now);
        return finish(record, n, entries, now, DeliveryStatus.SENT, now.destination(), now.ref(), attempt, null, group);
    }

    /**
     * Gives the record up: to the outbox's dead-letter topic, with a FAILED Delivery when it could be read, in one
     * transaction with its offset. A STARTED on the ledger stays: a replay of the record looks for what it made first.
     */
    Result giveUp(ConsumerRecord<byte[], byte[]> record, Notification n, String stage, Exception error, int attempts,
                  ConsumerGroupMetadata group) {
        LOG.warn("{}-{}@{}{} goes to the dead-letter topic ({} failed after {} {}): {}", record.topic(), record.partition(),
                record.offset(), n == null ? "" : " (notification " + n.getNotificationId() + ")", stage, attempts,
                attempts == 1 ? "try" : "tries", DeadLetters.describe(error));
        Commit commit = transactions.commit(() -> {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            records.add(DeadLetters.of(record, "notifier-delivery/" + stage, error));
            if (n != null) {
                records.add(deliveryRecord(delivery(n, DeliveryStatus.FAILED, destinationOf(n), null, attempts, DeadLetters.describe(error))));
            }
            return records;
        }, next(record), group);
        if (commit == Commit.COMMITTED && n != null) {
            refused.remove(n.getNotificationId());
            metrics.delivered(n, DeliveryStatus.FAILED);
        }
        return result(commit);
    }

    /** An update followed, in the same partition, by a newer update of the same message: only the newer is sent. */
    Result superseded(ConsumerRecord<byte[], byte[]> record, Notification n, String by, ConsumerGroupMetadata group) {
        Commit commit = transactions.commit(() -> List.of(deliveryRecord(delivery(n, DeliveryStatus.SKIPPED, destinationOf(n), null, 0,
                "coalesced: a newer update of the same message follows (" + by + ")"))), next(record), group);
        if (commit == Commit.COMMITTED) {
            metrics.delivered(n, DeliveryStatus.SKIPPED);
        }
        return result(commit);
    }

    /** The partition went to another worker: what was made and not recorded is left for it to find. */
    void forget() {
        if (!madeNotRecorded.isEmpty()) {
            LOG.info("{} deliveries made and not recorded are left to the partitions' new owners to find: {}", madeNotRecorded.size(),
                    madeNotRecorded.keySet());
        }
        madeNotRecorded.clear();
        refused.clear();
    }

    /** Commits the record's Delivery and offset, and FINISHED with what was made when {@code made} is not null. */
    private Result finish(ConsumerRecord<byte[], byte[]> record, Notification n, Ledger.Partition entries, LedgerView.Made made,
                          DeliveryStatus status, String destination, String ref, int attempts, String error, ConsumerGroupMetadata group) {
        String id = n.getNotificationId();
        NotificationLedger finished = made == null ? null
                : ledgerEntry(n, NotificationLedgerState.FINISHED, made.destination(), made.ref());
        Delivery delivery = delivery(n, status, destination, ref, attempts, error);
        Commit commit = transactions.commit(() -> finished == null ? List.of(deliveryRecord(delivery))
                : List.of(ledgerRecord(record.partition(), id, finished), deliveryRecord(delivery)), next(record), group);
        if (commit != Commit.COMMITTED) {
            if (made != null && status == DeliveryStatus.SENT) {
                LOG.warn("notification {} was delivered ({} {}); its record waits to be written", id, made.destination(), made.ref());
            }
            return result(commit);
        }
        if (finished != null) {
            entries.put(id, finished);
        }
        madeNotRecorded.remove(id);
        refused.remove(id);
        metrics.delivered(n, status);
        if (status == DeliveryStatus.SKIPPED) {
            LOG.info("notification {} ({} {}) not sent: {}", id, n.getTarget(), n.getKind(), error);
        } else {
            LOG.debug("notification {} ({} {}): {} {} {}", id, n.getTarget(), n.getKind(), status, destination, ref);
        }
        return Result.DONE;
    }

    private Delivery delivery(Notification n, DeliveryStatus status, String destination, String ref, int attempts, String error) {
        return Delivery.newBuilder().setNotificationId(n.getNotificationId()).setIncidentId(n.getIncidentId())
                .setTarget(n.getTarget()).setKind(n.getKind()).setEvent(n.getEvent()).setStatus(status)
                .setDestination(destination).setRef(ref).setAttempts(Math.max(attempts, 0)).setError(error)
                .setAt(n.getAt()).setDeliveredAt(clock.instant()).build();
    }

    private NotificationLedger ledgerEntry(Notification n, NotificationLedgerState state, String destination, String ref) {
        return NotificationLedger.newBuilder().setNotificationId(n.getNotificationId()).setIncidentId(n.getIncidentId())
                .setState(state).setDestination(destination).setRef(ref).setWorker(worker).setAt(clock.instant()).build();
    }

    private ProducerRecord<byte[], byte[]> ledgerRecord(int partition, String notificationId, NotificationLedger entry) {
        return new ProducerRecord<>(ledger.name(), partition, ledger.keySerde().serializer().serialize(ledger.name(), notificationId),
                ledger.valueSerde().serializer().serialize(ledger.name(), entry));
    }

    private ProducerRecord<byte[], byte[]> deliveryRecord(Delivery delivery) {
        return new ProducerRecord<>(deliveries.name(), deliveries.keySerde().serializer().serialize(deliveries.name(), delivery.getIncidentId()),
                deliveries.valueSerde().serializer().serialize(deliveries.name(), delivery));
    }

    /** Where the notification was going, as far as the record itself says (for a Delivery that made nothing). */
    private static String destinationOf(Notification n) {
        if (n.getTarget() == NotificationTarget.TICKET) {
            return n.getTicketProject();
        }
        if (n.getTarget() == NotificationTarget.PAGER) {
            return PagerDelivery.DESTINATION;
        }
        return n.getKind() == NotificationKind.UNKNOWN ? null : n.getSlackChannel();
    }

    private static Result result(Commit commit) {
        return switch (commit) {
            case COMMITTED -> Result.DONE;
            case FENCED -> Result.FENCED;
            case FAILED -> Result.UNAVAILABLE;
        };
    }

    private static Map<TopicPartition, OffsetAndMetadata> next(ConsumerRecord<byte[], byte[]> record) {
        return Map.of(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
    }

    /** The record's own offset: fences the STARTED transaction without moving past the record. */
    private static Map<TopicPartition, OffsetAndMetadata> ownOffset(ConsumerRecord<byte[], byte[]> record) {
        return Map.of(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset()));
    }

    @Override
    public void close() {
        transactions.close();
    }
}
