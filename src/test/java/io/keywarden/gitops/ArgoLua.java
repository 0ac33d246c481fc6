package io.keywarden.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/** Runs a shipped Argo CD Lua script (health check or resource action) on an object, as Argo CD does. */
public final class ArgoLua {
  static final Path ARGOCD = Path.of("gitops", "argocd");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArgoLua() {}

  /** Runs the script with the global {@code obj} and returns what it returns, as JSON. */
  public static JsonNode run(String script, String objectJson) {
    try {
      Globals lua = JsePlatform.standardGlobals();
      lua.set("obj", toLua(JSON.readTree(objectJson)));
      LuaValue result = lua.load(Files.readString(ARGOCD.resolve(script)), script).call();
      return toJson(result);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        table.set(field.getKey(), toLua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
  }

  /** Tables with keys 1..n become arrays (as Argo CD's conversion does), others objects. */
  private static JsonNode toJson(LuaValue value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value.istable()) {
      LuaTable table = value.checktable();
      int length = table.length();
      if (length > 0) {
        ArrayNode array = f.arrayNode();
        for (int i = 1; i <= length; i++) {
          array.add(toJson(table.get(i)));
        }
        return array;
      }
      ObjectNode object = f.objectNode();
      for (LuaValue key : table.keys()) {
        object.set(key.tojstring(), toJson(table.get(key)));
      }
      return object;
    }
    if (value.isboolean()) {
      return f.booleanNode(value.toboolean());
    }
    if (value.isnumber()) {
      double d = value.todouble();
      return d == Math.rint(d) ? f.numberNode((long) d) : f.numberNode(d);
    }
    return value.isnil() ? f.nullNode() : f.textNode(value.tojstring());
  }
}
