package io.engage.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Deterministic English-like text for load tests: a fixed vocabulary of a few thousand word forms (hand-listed
 * nouns, verbs, adjectives and adverbs with their regular inflections) put into sentences of a few fixed shapes,
 * words drawn with a Zipf-like skew so that term frequencies look like real prose. Same seed, same text.
 */
final class SyntheticText {

    private static final String NOUNS = """
            account action address agent agreement airport amount analysis answer application appointment area
            argument arrival article aspect assessment assistant attempt attention audience author authority
            balance bank basis battery bill birthday board body bonus booking border bottle branch brand breakfast
            budget building bundle business button buyer cabinet calendar camera campaign candidate capacity card
            career carrier case cash category cause centre chain chair challenge chance channel chapter charge
            chart check choice church city claim class client climate clock cloud coach code coffee collection
            college colour column comment committee community company comparison competition complaint component
            computer concept concern condition conference connection consumer contact container content context
            contract contribution control conversation copy corner cost council country county couple course court
            cover credit crew culture currency customer cycle damage data database date deadline deal debate debt
            decision definition delivery demand department deposit design desk detail device difference dinner
            direction director discount discussion dish display distance distribution district document dollar
            domain door draft driver duty economy edge edition editor education effect effort election element
            email employee employer energy engine engineer entry environment equipment error estimate event
            evidence example exchange exercise expense experience expert export extension facility factor factory
            failure family farm feature fee feedback field figure file film finance finding firm fleet flight floor
            folder food force forecast form format forum foundation frame freight friend function fund furniture
            gallery game garage garden gate goal government grade grant graph group growth guarantee guest guide
            handle harbour hardware health hearing height helmet history holiday home hospital hotel hour house
            idea image impact import improvement incident income index industry information input insight
            inspection installation instance instruction insurance interest interface internet interview inventory
            investment invoice island issue item jacket job journey judge kettle key kitchen label laboratory
            ladder lamp language laptop law layer leader lease lecture ledger lesson letter level library licence
            limit line link list load loan location lock log loss machine magazine manager manual map margin
            market material matter meal measure media meeting member memory menu message method metric minute
            mirror mission mistake mode model module moment month morning motor mountain movement museum network
            newsletter night note notice number object offer office operation opinion option order organisation
            outcome output owner package page panel paper parcel parent park partner party passenger password
            patient pattern payment penalty pension period permission person phase phone picture piece pilot plan
            platform player plugin pocket point policy portal position post power practice premium presence
            president price printer priority problem procedure process product profile profit program project
            promise property proposal protocol provider purchase quality quarter query question queue rate reader
            reason receipt record reduction reference refund region register relation release report request
            requirement research reservation resource response result retailer return revenue review reward river
            road role room route rule safety salary sale sample schedule school science score screen season seat
            section sector security segment seller seminar sensor sequence series server service session setting
            share shelf shift shipment shop signal signature site size skill software solution source space speaker
            specialist speed sponsor staff stage standard station statement status step stock storage store story
            strategy street structure student studio subject subscription success summary supplier supply support
            surface survey system table tablet target task tax team technology template term territory test text
            theme ticket time title token tool topic total tour track trade traffic training transaction transfer
            transport travel trend trial trip truck trust tutorial type unit update upgrade usage user valley value
            vehicle vendor version video view village visitor voice volume voucher wallet warehouse warning
            warranty water website week weight window winter worker workshop world year zone
            """;

    private static final String VERBS = """
            accept access achieve add adjust advise affect allow analyse announce answer apply approve arrange
            assign assist attach attend avoid book borrow calculate call cancel change charge check claim clean
            collect combine compare complain complete confirm connect consider contact contain continue control
            convert copy correct count cover create deliver deploy describe design detect develop disable discover
            discuss display distribute download edit enable encrypt ensure enter estimate evaluate examine exchange
            expect explain export extend filter finish fix follow forward generate handle help highlight import
            improve include increase install integrate introduce invite join launch limit list load lock log
            maintain manage mark measure merge migrate monitor move need notify obtain offer open order organise
            pack pass perform pick plan play post prefer prepare present prevent print process produce protect
            provide publish purchase receive recommend record recover reduce refer refund register reject release
            remain remind remove renew repair repeat replace report request require reserve reset resolve respond
            restore return review reward save scan schedule search secure select send serve share ship sign solve
            sort start stop store submit suggest supply support switch test track train transfer translate travel
            update upgrade upload use validate verify view visit wait want warn wash watch work
            act adapt address adopt advertise agree aim alert alter appear appreciate approach argue arrive ask
            assess assume attract audit balance benefit block boost brand browse build capture care carry cause
            celebrate chat choose classify close collaborate comment commit communicate compile compose compute
            conclude conduct configure consult consume contribute convince cook coordinate create cycle debug
            decide declare decline decrease define delay delete demonstrate depend derive detail determine differ
            direct disclose dispatch divide document donate double draft drive earn educate eliminate email embed
            emphasise employ encourage engage enhance enjoy enrol equip establish expand experiment explore express
            face facilitate feature fill find focus forecast form fund gain gather grant grow guarantee guide
            happen hire host identify ignore illustrate imagine implement inform inspect install insure intend
            interact interview invest investigate issue keep label land learn lease leave lend license link listen
            locate look lower match mention mind mix model modify motivate name navigate negotiate note observe
            operate optimise outline own paint participate pay permit place point polish power practise predict
            price prioritise promote propose prove purchase qualify question raise rank rate reach read realise
            rebuild recall recognise reconcile redesign reflect refresh regulate relate relax rely rename rent
            reorder replay reply represent research resize rest retain retire retrieve reuse reveal revise rotate
            route run sell set settle shape show simplify size skip solve speak specify split spend stand state
            stay step streamline strengthen structure study succeed summarise supervise survey sustain sync talk
            target teach tell think tolerate total touch trade transform trust try turn underline understand unite
            unlock update value vary visualise vote walk weigh welcome win wish wonder write
            """;

    private static final String ADJECTIVES = """
            able active actual additional annual automatic available average basic better big brief broad busy
            central certain cheap clean clear close common complete complex correct critical current daily dark
            direct early easy effective electric empty entire equal exact existing expensive external fair fast
            final financial first flexible formal free fresh full general global good great green heavy high
            important independent initial internal large last late light local long low main major manual maximum
            medium minimum minor mobile modern monthly national natural necessary new next normal official old
            online open optional original other overall particular personal physical plain popular possible
            practical previous primary private professional proper public quick quiet rapid rare ready real recent
            red regular related relevant remote reliable responsible rich safe secure senior separate serious
            several short silent simple single slow small smart social soft special specific stable standard
            strong successful sudden suitable technical temporary total typical unique urgent useful usual valid
            various visible warm weekly whole wide wireless yearly young
            absolute accurate adequate advanced affordable agile alternative ancient apparent appropriate
            attractive aware bright broken calm capable careful casual cheerful chief civil classic clever cloudy
            coastal cold comfortable commercial compact comparable competitive comprehensive confident consistent
            constant convenient cool corporate creative crucial curious custom dangerous decent deep default
            definite delicate dense detailed digital distant domestic dominant dry dual dynamic eager economic
            efficient elegant eligible emerging encrypted enormous essential ethical everyday evident excellent
            exclusive exotic experimental explicit extensive extra familiar famous fancy favourite federal fine
            firm fixed foreign fragile frequent friendly front functional fundamental generous gentle genuine
            gradual grand happy hardy healthy helpful hidden historic honest huge humble ideal identical immediate
            incoming indoor industrial informal innovative instant integrated intelligent intense interactive
            keen key known lateral leading legal level limited linear liquid live loud loyal lucky mature
            meaningful mechanical mental mild modest multiple musical mutual narrow native neat negative neutral
            nice noble notable novel numerous obvious odd ongoing operational optimal ordinary organic outdoor
            parallel partial passive patient peaceful perfect permanent pleasant polite portable positive potential
            powerful precise premium pretty prime prior productive progressive prominent proud pure random rapid
            rational raw reasonable regional renewable representative residential resilient robust rough round
            rural scalable scientific seasonal secondary sensitive sharp shiny significant similar sincere smooth
            solid sophisticated spare stable steady steep strategic strict structural subtle sufficient superior
            sustainable swift tall thick thin tidy tiny tough traditional transparent tropical true ultimate
            underground uniform universal unusual upper urban vast vertical vibrant virtual vital weak wealthy
            wild wise wooden worthy
            """;

    private static final String ADVERBS = """
            again almost already also always automatically carefully clearly closely currently directly easily
            exactly finally first frequently fully generally immediately instead later manually mostly nearly
            never normally often only partly quickly rarely recently regularly safely simply slowly soon sometimes
            still together usually
            """;

    private static final String[] DETERMINERS = {"the", "the", "the", "a", "each", "every", "this", "that", "our",
            "your", "their", "any", "some", "no"};
    private static final String[] PREPOSITIONS = {"in", "on", "for", "with", "from", "to", "by", "after", "before",
            "during", "under", "without", "about", "across", "between", "through", "within"};
    private static final String[] CONJUNCTIONS = {"and", "but", "because", "while", "when", "if", "unless",
            "although", "so"};
    private static final String[] MODALS = {"can", "should", "must", "may", "will", "might", "could", "would"};

    final List<String> nouns;
    final List<String> pluralNouns;
    final List<String> verbs;
    final List<String> verbs3rd;
    final List<String> verbsPast;
    final List<String> verbsIng;
    final List<String> adjectives;
    final List<String> adverbs;
    /** Every content word form, for queries. */
    final List<String> vocabulary;

    SyntheticText() {
        nouns = words(NOUNS);
        verbs = words(VERBS);
        adjectives = words(ADJECTIVES);
        adverbs = words(ADVERBS);
        pluralNouns = nouns.stream().map(SyntheticText::plural).toList();
        verbs3rd = verbs.stream().map(SyntheticText::plural).toList();
        verbsPast = verbs.stream().map(SyntheticText::past).toList();
        verbsIng = verbs.stream().map(SyntheticText::gerund).toList();
        Set<String> all = new LinkedHashSet<>();
        all.addAll(nouns);
        all.addAll(pluralNouns);
        all.addAll(verbs);
        all.addAll(verbs3rd);
        all.addAll(verbsPast);
        all.addAll(verbsIng);
        all.addAll(adjectives);
        all.addAll(adverbs);
        vocabulary = List.copyOf(all);
    }

    int vocabularySize() {
        return vocabulary.size();
    }

    /** A paragraph of roughly {@code targetChars} characters (whole sentences). */
    String paragraph(Random random, int targetChars) {
        StringBuilder text = new StringBuilder(targetChars + 200);
        while (text.length() < targetChars - 40) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(sentence(random));
        }
        return text.toString();
    }

    /** A short title such as "Monthly invoice reports". */
    String title(Random random) {
        String title = pick(random, adjectives) + " " + pick(random, nouns) + " " + pick(random, pluralNouns);
        return Character.toUpperCase(title.charAt(0)) + title.substring(1);
    }

    /** A search query of 3 to 8 words from the same vocabulary, mostly content words. */
    String query(Random random) {
        int words = 3 + random.nextInt(6);
        List<String> parts = new ArrayList<>(words);
        for (int i = 0; i < words; i++) {
            int kind = random.nextInt(10);
            parts.add(kind < 4 ? pick(random, nouns) : kind < 6 ? pick(random, verbs) : kind < 8
                    ? pick(random, adjectives) : kind < 9 ? pick(random, pluralNouns) : pick(random, verbsIng));
        }
        if (words >= 4 && words <= 6 && random.nextBoolean()) {
            parts.set(0, random.nextBoolean() ? "how do I" : "what is the");
        }
        return String.join(" ", parts);
    }

    String sentence(Random random) {
        String sentence = switch (random.nextInt(6)) {
            case 0 -> nounPhrase(random) + " " + pick(random, verbs3rd) + " " + nounPhrase(random) + " "
                    + prepositionalPhrase(random);
            case 1 -> nounPhrase(random) + " " + pick(random, MODALS) + " " + pick(random, adverbs) + " "
                    + pick(random, verbs) + " " + nounPhrase(random);
            case 2 -> pick(random, CONJUNCTIONS) + " " + nounPhrase(random) + " " + pick(random, verbsPast) + " "
                    + nounPhrase(random) + ", " + nounPhrase(random) + " " + pick(random, verbs3rd) + " "
                    + prepositionalPhrase(random);
            case 3 -> pick(random, verbs) + " " + nounPhrase(random) + " " + prepositionalPhrase(random) + " "
                    + pick(random, CONJUNCTIONS) + " " + pick(random, verbs) + " " + nounPhrase(random);
            case 4 -> nounPhrase(random) + " is " + pick(random, adverbs) + " " + pick(random, adjectives) + " "
                    + prepositionalPhrase(random);
            default -> pick(random, verbsIng) + " " + nounPhrase(random) + " " + pick(random, verbs3rd) + " "
                    + pick(random, pluralNouns) + " " + prepositionalPhrase(random);
        };
        return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1) + ".";
    }

    private String nounPhrase(Random random) {
        if (random.nextInt(4) == 0) {
            return (random.nextBoolean() ? pick(random, adjectives) + " " : "") + pick(random, pluralNouns);
        }
        String determiner = DETERMINERS[random.nextInt(DETERMINERS.length)];
        String adjective = random.nextInt(3) == 0 ? pick(random, adjectives) + " " : "";
        String noun = (random.nextInt(3) == 0 ? pick(random, nouns) + " " : "") + pick(random, nouns);
        if (determiner.equals("a") && startsWithVowel(adjective.isEmpty() ? noun : adjective)) {
            determiner = "an";
        }
        return determiner + " " + adjective + noun;
    }

    private String prepositionalPhrase(Random random) {
        return PREPOSITIONS[random.nextInt(PREPOSITIONS.length)] + " " + nounPhrase(random);
    }

    /** Zipf-like pick: low indexes (a random but fixed permutation of the list) come up more often. */
    private static String pick(Random random, List<String> words) {
        double u = random.nextDouble();
        int index = (int) (words.size() * Math.pow(u, 2.2));
        return words.get(Math.min(words.size() - 1, index));
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }

    private static List<String> words(String block) {
        List<String> list = new ArrayList<>(new LinkedHashSet<>(List.of(block.trim().split("\\s+"))));
        // a fixed shuffle so that the frequent words are not all early in the alphabet
        java.util.Collections.shuffle(list, new Random(42));
        return List.copyOf(list);
    }

    private static boolean startsWithVowel(String word) {
        return !word.isEmpty() && "aeiou".indexOf(word.charAt(0)) >= 0;
    }

    private static String plural(String word) {
        if (word.endsWith("s") || word.endsWith("x") || word.endsWith("ch") || word.endsWith("sh")) {
            return word + "es";
        }
        if (word.endsWith("y") && word.length() > 1 && !startsWithVowel(word.substring(word.length() - 2))) {
            return word.substring(0, word.length() - 1) + "ies";
        }
        return word + "s";
    }

    private static String past(String word) {
        if (word.endsWith("e")) {
            return word + "d";
        }
        if (word.endsWith("y") && !startsWithVowel(word.substring(word.length() - 2))) {
            return word.substring(0, word.length() - 1) + "ied";
        }
        return word + "ed";
    }

    private static String gerund(String word) {
        if (word.endsWith("e") && !word.endsWith("ee")) {
            return word.substring(0, word.length() - 1) + "ing";
        }
        return word + "ing";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d word forms (%d nouns, %d verbs, %d adjectives, %d adverbs)",
                vocabularySize(), nouns.size(), verbs.size(), adjectives.size(), adverbs.size());
    }
}
