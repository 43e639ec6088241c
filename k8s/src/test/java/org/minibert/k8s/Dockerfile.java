package org.minibert.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small Dockerfile reader: global ARGs, stages, instructions with continuation lines joined. */
record Dockerfile(Path path, Map<String, String> globalArgs, List<Stage> stages) {

  record Instruction(String keyword, String args, int line) {}

  record Stage(int index, String name, String image, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** ENV keys and values (KEY=VALUE form, quotes removed). */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      Pattern kv = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");
      for (Instruction i : all("ENV")) {
        Matcher m = kv.matcher(i.args());
        while (m.find()) {
          env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
        }
      }
      return env;
    }
  }

  /** A COPY instruction: flags (--from, --chown, --chmod), sources, destination. */
  record Copy(Map<String, String> flags, List<String> sources, String destination, int line) {
    static Copy of(Instruction i) {
      if (i.args().startsWith("[")) {
        throw new AssertionError("line " + i.line() + ": use the plain COPY form");
      }
      Map<String, String> flags = new LinkedHashMap<>();
      List<String> words = new ArrayList<>();
      for (String w : i.args().trim().split("\\s+")) {
        if (w.startsWith("--")) {
          String[] kv = w.substring(2).split("=", 2);
          flags.put(kv[0], kv.length > 1 ? kv[1] : "");
        } else {
          words.add(w);
        }
      }
      return new Copy(
          flags, words.subList(0, words.size() - 1), words.get(words.size() - 1), i.line());
    }
  }

  Stage finalStage() {
    return stages.get(stages.size() - 1);
  }

  Stage stage(String name) {
    return stages.stream()
        .filter(s -> name.equals(s.name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(path + ": no stage " + name));
  }

  String resolve(String s) {
    String out = s;
    for (Map.Entry<String, String> e : globalArgs.entrySet()) {
      out =
          out.replace("${" + e.getKey() + "}", e.getValue())
              .replace("$" + e.getKey(), e.getValue());
    }
    return out;
  }

  static Dockerfile read(Path path) throws IOException {
    List<String> lines = Files.readAllLines(path);
    Map<String, String> globals = new LinkedHashMap<>();
    List<Stage> stages = new ArrayList<>();
    StringBuilder current = null;
    int start = 0;
    List<Instruction> instructions = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      String trimmed = line.trim();
      if (current == null && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (current != null && trimmed.startsWith("#")) {
        continue; // comment lines inside a continuation are dropped by Docker too
      }
      if (current == null) {
        current = new StringBuilder();
        start = n + 1;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String text = current.toString().trim();
      current = null;
      int sp = text.indexOf(' ');
      String keyword = (sp < 0 ? text : text.substring(0, sp)).toUpperCase();
      String args = sp < 0 ? "" : text.substring(sp + 1).trim();
      instructions.add(new Instruction(keyword, args, start));
    }
    Dockerfile df = new Dockerfile(path, globals, stages);
    Stage stage = null;
    for (Instruction i : instructions) {
      if (i.keyword().equals("FROM")) {
        String[] w = i.args().split("\\s+");
        String image = df.resolve(w[w.length >= 3 && w[0].startsWith("--") ? 1 : 0]);
        String name =
            w.length >= 3 && w[w.length - 2].equalsIgnoreCase("AS") ? w[w.length - 1] : null;
        stage = new Stage(stages.size(), name, image, new ArrayList<>());
        stages.add(stage);
      } else if (stage == null) {
        if (!i.keyword().equals("ARG")) {
          throw new AssertionError(path + ":" + i.line() + ": " + i.keyword() + " before FROM");
        }
        String[] kv = i.args().split("=", 2);
        globals.put(kv[0], kv.length > 1 ? kv[1] : "");
      } else {
        stage.instructions().add(i);
      }
    }
    return df;
  }
}
