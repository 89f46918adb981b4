package io.engage.demo;

import io.engage.agents.Agent;
import io.engage.agents.AgentRequest;
import io.engage.agents.AgentService;
import io.engage.agents.AgentStatus;
import io.engage.agents.LauncherIcon;
import io.engage.auth.AgentKeys;
import io.engage.common.OwnerOnlyFiles;
import io.engage.common.PageQuery;
import io.engage.crypto.SecretCipher;
import io.engage.knowledge.KnowledgeService;
import io.engage.tenancy.Company;
import io.engage.tenancy.CompanyService;
import io.engage.tenancy.PasswordPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Seeds the demo once (idempotent across restarts): company "Engage Demo", the published agent "Skyhawk
 * assistant" with FAQ and product knowledge, and a widget key derived from the master key, so the same key works
 * after every restart. The key is written to {@code <data-dir>/demo-widget-key} (mode 0600) rather than logged.
 */
@Component
class DemoSeeder {

    private static final Logger log = LoggerFactory.getLogger(DemoSeeder.class);
    static final String COMPANY_NAME = "Engage Demo";
    static final String AGENT_NAME = "Skyhawk assistant";

    private final boolean enabled;
    private final Path dataDir;
    private final String adminEmail;
    private final String adminPassword;
    private final CompanyService companies;
    private final PasswordPolicy passwords;
    private final AgentService agents;
    private final AgentKeys keys;
    private final KnowledgeService knowledge;
    private final SecretCipher cipher;

    DemoSeeder(@Value("${engage.demo:false}") boolean enabled, @Value("${engage.data-dir}") Path dataDir,
            @Value("${engage.demo-admin.email:demo@engage.local}") String adminEmail,
            @Value("${engage.demo-admin.password:}") String adminPassword, CompanyService companies,
            PasswordPolicy passwords, AgentService agents, AgentKeys keys, KnowledgeService knowledge,
            SecretCipher cipher) {
        this.enabled = enabled;
        this.dataDir = dataDir;
        this.adminEmail = adminEmail;
        this.adminPassword = adminPassword;
        this.companies = companies;
        this.passwords = passwords;
        this.agents = agents;
        this.keys = keys;
        this.knowledge = knowledge;
        this.cipher = cipher;
    }

    @EventListener(ApplicationReadyEvent.class)
    void seed() {
        if (!enabled) {
            return;
        }
        Optional<Company> existing = companies.list(PageQuery.of(100, null), COMPANY_NAME).items().stream()
                .filter(company -> company.name().equals(COMPANY_NAME)).findFirst();
        UUID companyId;
        UUID agentId;
        if (existing.isPresent()) {
            companyId = existing.get().id();
            Optional<Agent> agent = agents.listOfCompany(companyId).stream()
                    .filter(a -> a.name().equals(AGENT_NAME)).findFirst();
            if (agent.isEmpty()) {
                log.info("Demo company exists without its agent (deleted?); not re-seeding");
                return;
            }
            agentId = agent.get().id();
        } else {
            boolean generated = adminPassword == null || adminPassword.isBlank();
            String password = generated ? randomPassword() : adminPassword;
            passwords.violation(password, adminEmail).ifPresent(broken -> {
                throw new IllegalStateException("ENGAGE_DEMO_ADMIN_PASSWORD is not accepted: " + broken.message());
            });
            companyId = companies.create(COMPANY_NAME, adminEmail, password).company().id();
            agentId = createAgent(companyId);
            seedKnowledge(companyId, agentId);
            if (generated) {
                log.warn("Demo company created; sign in to the portal as {} with generated password: {} (shown once;"
                        + " set ENGAGE_DEMO_ADMIN_PASSWORD to choose it)", adminEmail, password);
            } else {
                log.info("Demo company created; sign in as {}", adminEmail);
            }
        }
        String key = demoKey();
        keys.register(companyId, agentId, key);
        writeKeyFile(key);
    }

    private UUID createAgent(UUID companyId) {
        AgentRequest request = new AgentRequest(AGENT_NAME, "Answers questions about Skyhawk drones",
                "You are the friendly assistant of Skyhawk, a shop for camera drones.",
                "Hi! I'm the Skyhawk assistant. Ask me about our drones, shipping or returns.", null, "en", null,
                List.of("Skyhawk drones", "orders, shipping and returns", "warranty and support"), null,
                AgentStatus.PUBLISHED, null, null,
                new AgentRequest.WidgetRequest(null, "Skyhawk help", "#0f766e", null,
                        List.of("How long does the battery last?", "What does the DS-3 cost?",
                                "How do I return a drone?"),
                        List.of("*"), LauncherIcon.CHAT, "mailto:support@skyhawk.example"),
                null, null);
        return agents.create(companyId, request).id();
    }

    private void seedKnowledge(UUID companyId, UUID agentId) {
        knowledge.addText(companyId, agentId, "Skyhawk DS-3 camera drone", """
                # Skyhawk DS-3 camera drone

                The Skyhawk DS-3 is a foldable camera drone that weighs 249 grams, so in most countries it needs \
                no registration. It films 4K video at 60 frames per second and takes 48-megapixel photos.

                ## Battery and flight time
                One battery gives up to 34 minutes of flight. A full charge takes 70 minutes with the included \
                charger. Spare batteries cost 59 euros.

                ## Price
                The Skyhawk DS-3 costs 499 euros, including two batteries, a charger and a carrying case. The Fly \
                More bundle with three batteries and a charging hub costs 649 euros.
                """);
        knowledge.addText(companyId, agentId, "Skyhawk Mini 2", """
                # Skyhawk Mini 2

                The Skyhawk Mini 2 is our entry-level drone for beginners. It films 2.7K video, flies for 25 \
                minutes and costs 299 euros. It has automatic return-to-home when the battery runs low.
                """);
        for (Map.Entry<String, String> faq : List.of(
                Map.entry("How long does shipping take?", "Orders ship within one business day. Delivery takes "
                        + "2 to 4 business days in the EU and 5 to 8 business days elsewhere. Shipping is free "
                        + "for orders over 100 euros."),
                Map.entry("How do I return a drone?", "You can return any product within 30 days of delivery for "
                        + "a full refund. Start the return from your order page; the return label is free."),
                Map.entry("What does the warranty cover?", "Every Skyhawk drone has a two-year warranty against "
                        + "manufacturing defects. Crash damage is covered by Skyhawk Care, which costs 79 euros "
                        + "per year."),
                Map.entry("When is support available?", "Our support team answers chats and emails Monday to "
                        + "Friday from 8:00 to 20:00 CET, and on Saturdays from 10:00 to 16:00 CET."))) {
            knowledge.addFaq(companyId, agentId, faq.getKey(), faq.getValue());
        }
    }

    /** Stable across restarts (derived from the master key), different on every installation. */
    String demoKey() {
        byte[] derived = cipher.derive("demo-widget-key-v1");
        return "ek_" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(derived, 24));
    }

    private void writeKeyFile(String key) {
        Path file = dataDir.resolve("demo-widget-key");
        try {
            OwnerOnlyFiles.replace(file, key + "\n");
            log.info("Demo agent ready; its widget key is in {} (try /demo, or POST /agent/query with header "
                    + "X-Engage-Key)", file.toAbsolutePath());
        } catch (IOException e) {
            log.warn("Could not write the demo widget key to {}: {}", file, e.toString());
        }
    }

    private String randomPassword() {
        String random;
        do {
            random = SecretCipher.randomToken(15);
        } while (passwords.violation(random, adminEmail).isPresent()); // e.g. it happened to contain "demo"
        return random;
    }
}
