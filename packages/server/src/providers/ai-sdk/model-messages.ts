/**
 * Our conversation (`LlmMessage`) in the AI SDK's message shape, so a multi-step tool loop works:
 * an assistant turn carries its tool calls, and each tool result answers its call by id. Consecutive
 * tool results become one tool message (Anthropic wants every result of a turn in the one user
 * message after it; OpenAI accepts either).
 */
import { jsonSchema, tool, type JSONValue, type ModelMessage, type ToolSet } from 'ai';
import type { LlmMessage, LlmToolSpec } from '../llm.ts';

/** Converts the conversation history; tool results are sent as JSON (strings as text). */
export function toModelMessages(messages: readonly LlmMessage[]): ModelMessage[] {
  const out: ModelMessage[] = [];
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: m.content });
    else if (m.role === 'assistant') {
      if (!m.toolCalls?.length) out.push({ role: 'assistant', content: m.content });
      else {
        out.push({
          role: 'assistant',
          content: [
            ...(m.content ? [{ type: 'text' as const, text: m.content }] : []),
            ...m.toolCalls.map((c) => ({ type: 'tool-call' as const, toolCallId: c.id, toolName: c.name, input: c.arguments ?? {} })),
          ],
        });
      }
    } else {
      const part = {
        type: 'tool-result' as const,
        toolCallId: m.toolCallId,
        toolName: m.name,
        output: typeof m.result === 'string' ? { type: 'text' as const, value: m.result } : { type: 'json' as const, value: toJsonValue(m.result) },
      };
      const last = out[out.length - 1];
      if (last?.role === 'tool') last.content.push(part);
      else out.push({ role: 'tool', content: [part] });
    }
  }
  return out;
}

/** Declares tools without `execute`: the SDK returns the calls and the engine runs them. */
export function toToolSet(tools: readonly LlmToolSpec[] | undefined): ToolSet | undefined {
  if (!tools?.length) return undefined;
  const set: ToolSet = {};
  for (const t of tools) set[t.name] = tool({ description: t.description, inputSchema: jsonSchema(t.parameters) });
  return set;
}

/** A tool's result as plain JSON (undefined → null; class instances → their JSON form). */
function toJsonValue(v: unknown): JSONValue {
  if (v === undefined) return null;
  return JSON.parse(JSON.stringify(v)) as JSONValue;
}
