package io.engage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.crypto.SecretCipher;
import io.engage.support.IntegrationTest;
import io.engage.support.RedisProcess;
import io.engage.web.RedisLink;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What each node keeps of the memory lists it has read or written, against a Redis of the test's own and the real
 * cipher: a question's history is opened (AES-GCM, JSON) only for entries this node has not seen, every node sees
 * every turn, and an entry copied into another visitor's list never opens there, cached or not.
 */
class OpenedMemoryCacheIT extends IntegrationTest {

    private RedisProcess redis;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private SecretCipher nodeACipher;
    private SecretCipher nodeBCipher;
    private RedisConversationMemory nodeA;
    private RedisConversationMemory nodeB;
    private final MemoryProperties properties = new MemoryProperties(Duration.ofDays(1), 20, 8000, 1000, 16_000_000);
    private final UUID agentId = UUID.randomUUID();

    @Autowired
    private ObjectMapper json;

    @BeforeEach
    void twoNodesOnOneRedis() throws Exception {
        assumeTrue(RedisProcess.available(), "redis-server is not installed");
        redis = new RedisProcess();
        client = RedisClient.create(redis.url());
        connection = client.connect();
        nodeACipher = spy(cipher);
        nodeBCipher = spy(cipher);
        nodeA = new RedisConversationMemory(linkTo(connection), properties, json, nodeACipher);
        nodeB = new RedisConversationMemory(linkTo(connection), properties, json, nodeBCipher);
    }

    private static RedisLink linkTo(StatefulRedisConnection<String, String> connection) {
        RedisLink link = mock(RedisLink.class);
        when(link.strings()).thenReturn(Optional.of(RedisLink.Commands.of(connection)));
        return link;
    }

    @AfterEach
    void stopRedis() {
        if (connection != null) {
            connection.close();
            client.shutdown();
            redis.close();
        }
    }

    @Test
    void entriesAreOpenedOnceByEachNodeAndNeverOutsideTheirOwnList() {
        UUID conversation = UUID.randomUUID();
        List<String> said = new ArrayList<>();
        for (int question = 1; question <= 3; question++) {
            nodeA.append(agentId, "alice", turnPair(conversation, question, said));
        }

        // the writing node knows its own entries: recalling them opens nothing
        assertThat(texts(nodeA.recall(agentId, "alice"))).isEqualTo(said);
        assertThat(texts(nodeA.recall(agentId, "alice"))).isEqualTo(said);
        verify(nodeACipher, never()).open(anyString(), anyString());

        // another node opens each entry once, then knows it too
        assertThat(texts(nodeB.recall(agentId, "alice"))).isEqualTo(said);
        verify(nodeBCipher, times(6)).open(anyString(), anyString());
        assertThat(texts(nodeB.recall(agentId, "alice"))).isEqualTo(said);
        verify(nodeBCipher, times(6)).open(anyString(), anyString());

        // node B answers the next question: node A opens only that turn's two entries; past the 20 kept, the oldest
        // leave the list and the cache alike
        nodeB.append(agentId, "alice", turnPair(conversation, 4, said));
        assertThat(texts(nodeA.recall(agentId, "alice"))).isEqualTo(said);
        verify(nodeACipher, times(2)).open(anyString(), anyString());
        for (int question = 5; question <= 14; question++) {
            nodeA.append(agentId, "alice", turnPair(conversation, question, said));
        }
        clearInvocations(nodeACipher);
        assertThat(texts(nodeA.recall(agentId, "alice"))).isEqualTo(said.subList(said.size() - 20, said.size()));
        verify(nodeACipher, never()).open(anyString(), anyString());

        // alice's entry copied into bob's list: node A has it cached for alice, yet for bob it does not open
        String aliceEntry = connection.sync().lindex(MemoryCodec.key(agentId, "alice"), -1);
        connection.sync().rpush(MemoryCodec.key(agentId, "bob"), aliceEntry);
        assertThat(nodeA.recall(agentId, "bob")).isEmpty();
        assertThat(nodeB.recall(agentId, "bob")).isEmpty();
    }

    @Test
    void anUnchangedListIsNotReadAgainAndEveryChangeIsSeen() {
        UUID conversation = UUID.randomUUID();
        List<String> said = new ArrayList<>();
        nodeA.append(agentId, "carol", turnPair(conversation, 1, said));
        assertThat(texts(nodeB.recall(agentId, "carol"))).isEqualTo(said);

        // both nodes know the list as it is: recalling it moves only its last entry, not the list
        long ranges = lranges();
        for (int i = 0; i < 5; i++) {
            assertThat(texts(nodeA.recall(agentId, "carol"))).isEqualTo(said);
            assertThat(texts(nodeB.recall(agentId, "carol"))).isEqualTo(said);
        }
        assertThat(lranges()).as("LRANGE calls for unchanged lists").isEqualTo(ranges);

        // turns interleaved between the nodes: neither may take its own append for the whole list
        nodeA.append(agentId, "carol", turnPair(conversation, 2, said));
        nodeB.append(agentId, "carol", turnPair(conversation, 3, said));
        nodeA.append(agentId, "carol", turnPair(conversation, 4, said));
        assertThat(texts(nodeA.recall(agentId, "carol"))).isEqualTo(said);
        assertThat(texts(nodeB.recall(agentId, "carol"))).isEqualTo(said);
        nodeB.append(agentId, "carol", turnPair(conversation, 5, said));
        assertThat(texts(nodeB.recall(agentId, "carol"))).isEqualTo(said);
        assertThat(texts(nodeA.recall(agentId, "carol"))).isEqualTo(said);

        // an expired or deleted list is empty on every node, and starts afresh
        connection.sync().del(MemoryCodec.key(agentId, "carol"));
        assertThat(nodeA.recall(agentId, "carol")).isEmpty();
        assertThat(nodeB.recall(agentId, "carol")).isEmpty();
        List<String> afresh = new ArrayList<>();
        nodeB.append(agentId, "carol", turnPair(conversation, 6, afresh));
        assertThat(texts(nodeA.recall(agentId, "carol"))).isEqualTo(afresh);
        assertThat(texts(nodeB.recall(agentId, "carol"))).isEqualTo(afresh);
    }

    @Test
    void aStartedRecallAnswersWhatRedisHeldWhenItWasSentAlsoOnAFlushedRedis() {
        UUID conversation = UUID.randomUUID();
        List<String> said = new ArrayList<>();
        nodeA.append(agentId, "erin", turnPair(conversation, 1, said));
        List<String> first = List.copyOf(said);
        assertThat(texts(nodeB.recall(agentId, "erin"))).isEqualTo(first); // Redis has the script from now on

        nodeA.append(agentId, "erin", turnPair(conversation, 2, said));
        first = List.copyOf(said);
        ConversationMemory.Recall started = nodeB.startRecall(agentId, "erin");
        nodeA.append(agentId, "erin", turnPair(conversation, 3, said));
        assertThat(texts(started.turns())).as("sent before the third turn").isEqualTo(first);
        assertThat(texts(nodeB.recall(agentId, "erin"))).isEqualTo(said);

        // a restarted Redis has no scripts: the started recall falls back to sending the script itself (when its
        // turns are taken)
        connection.sync().scriptFlush();
        nodeA.append(agentId, "erin", turnPair(conversation, 4, said));
        assertThat(texts(nodeB.startRecall(agentId, "erin").turns())).isEqualTo(said);
        assertThat(texts(nodeA.startRecall(agentId, "erin").turns())).isEqualTo(said);
        assertThat(nodeA.startRecall(agentId, "nobody").turns()).isEmpty();
    }

    @Test
    void aListChangedBehindANodesBackIsReadAgain() {
        UUID conversation = UUID.randomUUID();
        List<String> said = new ArrayList<>();
        nodeA.append(agentId, "dave", turnPair(conversation, 1, said));
        assertThat(texts(nodeA.recall(agentId, "dave"))).isEqualTo(said);
        // a turn of another node's, written straight into Redis: node A's last entry is no longer the list's
        List<String> other = new ArrayList<>();
        nodeB.append(agentId, "dave", turnPair(conversation, 2, other));
        said.addAll(other);
        assertThat(texts(nodeA.recall(agentId, "dave"))).isEqualTo(said);
        // and a list trimmed to its newest 20 by a third node's appends is read as Redis holds it
        RedisConversationMemory nodeC = new RedisConversationMemory(linkTo(connection), properties, json, cipher);
        for (int question = 3; question <= 14; question++) {
            nodeC.append(agentId, "dave", turnPair(conversation, question, said));
        }
        assertThat(texts(nodeA.recall(agentId, "dave"))).isEqualTo(said.subList(said.size() - 20, said.size()));
        assertThat(connection.sync().llen(MemoryCodec.key(agentId, "dave"))).isEqualTo(20);
    }

    @Test
    void anUnreadableEntryStaysOutOfTheTurnsUntilItIsTrimmedAway() {
        UUID conversation = UUID.randomUUID();
        connection.sync().rpush(MemoryCodec.key(agentId, "frank"), "not a sealed entry");
        assertThat(nodeA.recall(agentId, "frank")).isEmpty();

        // node A knows the list with its unreadable entry and appends to it until the entry is trimmed away: the
        // turns it carries over from append to append are the readable ones, in order, and nothing is opened
        List<String> said = new ArrayList<>();
        nodeA.append(agentId, "frank", turnPair(conversation, 1, said));
        assertThat(texts(nodeA.recall(agentId, "frank"))).isEqualTo(said);
        for (int question = 2; question <= 11; question++) {
            nodeA.append(agentId, "frank", turnPair(conversation, question, said));
            int kept = Math.min(said.size(), 20);
            assertThat(texts(nodeA.recall(agentId, "frank"))).isEqualTo(said.subList(said.size() - kept, said.size()));
        }
        assertThat(connection.sync().lrange(MemoryCodec.key(agentId, "frank"), 0, -1))
                .doesNotContain("not a sealed entry").hasSize(20);
        verify(nodeACipher, times(1)).open(anyString(), anyString());
    }

    private long lranges() {
        for (String line : connection.sync().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_lrange:")) {
                return Long.parseLong(line.replaceAll("^cmdstat_[a-z]+:calls=(\\d+),.*", "$1"));
            }
        }
        return 0;
    }

    private static List<MemoryTurn> turnPair(UUID conversation, int question, List<String> said) {
        String asked = "Question " + question + ": where is my parcel?";
        String answered = "Answer " + question + ": it leaves the warehouse this afternoon.";
        said.add(asked);
        said.add(answered);
        Instant now = Instant.now();
        return List.of(new MemoryTurn(MemoryTurn.USER, asked, conversation, now, UUID.randomUUID()),
                new MemoryTurn(MemoryTurn.ASSISTANT, answered, conversation, now, UUID.randomUUID()));
    }

    private static List<String> texts(List<MemoryTurn> turns) {
        return turns.stream().map(MemoryTurn::text).toList();
    }
}
