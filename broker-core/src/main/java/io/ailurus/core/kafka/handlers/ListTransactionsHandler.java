package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.KafkaApiHandler;
import io.ailurus.core.kafka.RequestContext;
import io.ailurus.core.txn.TransactionCoordinator;
import io.ailurus.core.txn.TransactionMetadata;
import io.ailurus.core.txn.TxnState;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListTransactions: every transactional id (each broker coordinates all of them), filtered by state
 * and producer id, by duration (v1, KIP-994: only transactions open longer than that many ms) and by
 * a regular expression over the id (v2).
 */
public final class ListTransactionsHandler implements KafkaApiHandler<ListTransactionsRequestData, ListTransactionsResponseData> {
    private final TransactionCoordinator transactions;
    private final LongSupplier clock;

    public ListTransactionsHandler(TransactionCoordinator transactions) {
        this(transactions, System::currentTimeMillis);
    }

    ListTransactionsHandler(TransactionCoordinator transactions, LongSupplier clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<ListTransactionsResponseData> handle(RequestContext ctx, ListTransactionsRequestData request) {
        ListTransactionsResponseData response = new ListTransactionsResponseData();
        Set<TxnState> states = EnumSet.noneOf(TxnState.class);
        for (String name : request.stateFilters()) {
            TxnState s = TxnState.fromKafkaName(name);
            if (s == null) {
                response.unknownStateFilters().add(name);
            } else {
                states.add(s);
            }
        }
        if (!request.stateFilters().isEmpty() && states.isEmpty()) {
            return CompletableFuture.completedFuture(response); // only unknown states asked for: nothing matches
        }
        Set<Long> producers = new HashSet<>(request.producerIdFilters());
        long minDuration = ctx.apiVersion() >= 1 ? request.durationFilter() : -1;
        Pattern pattern = null;
        String regex = ctx.apiVersion() >= 2 ? request.transactionalIdPattern() : null;
        if (regex != null && !regex.isEmpty()) {
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                return CompletableFuture.completedFuture(response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
            }
        }
        long now = clock.getAsLong();
        for (TransactionMetadata t : transactions.store().all()) {
            if (!states.isEmpty() && !states.contains(t.state())) {
                continue;
            }
            if (!producers.isEmpty() && !producers.contains(t.producerId())) {
                continue;
            }
            if (minDuration >= 0 && (t.startTimestamp() < 0 || now - t.startTimestamp() < minDuration)) {
                continue;
            }
            if (pattern != null && !pattern.matcher(t.transactionalId()).matches()) {
                continue;
            }
            response.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                .setTransactionalId(t.transactionalId()).setProducerId(t.producerId())
                .setTransactionState(t.state().kafkaName()));
        }
        return CompletableFuture.completedFuture(response);
    }
}
