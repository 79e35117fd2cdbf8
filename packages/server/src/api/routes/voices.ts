/**
 * `GET /v1/voices` (api.md → Web calls and voices): every voice of every configured TTS provider,
 * with the qualified `<provider>:<voice>` id that an agent's `voice` accepts.
 */
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { responses, route } from '../openapi-route.ts';

const Voice = z
  .object({
    id: z.string().openapi({ example: 'local:rms' }),
    provider: z.string().openapi({ example: 'local' }),
    name: z.string(),
    language: z.string().openapi({ example: 'en-US' }),
    gender: z.enum(['female', 'male', 'neutral']).optional(),
    preview_url: z.string().optional(),
  })
  .openapi('Voice');
const VoiceList = z.object({ data: z.array(Voice) }).openapi('VoiceList');

export function registerVoiceRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(route({ method: 'get', path: '/v1/voices', tags: ['Voices'], summary: 'Voices of every configured TTS provider', responses: responses(VoiceList) }), async (c) => {
    if (!deps.voice) return c.json({ data: [] }, 200);
    const catalog = await deps.voice.voices(AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(10_000)]));
    for (const p of catalog.problems) deps.log.warn({ provider: p.provider, code: p.code, err: p.message }, 'voice list fell back to built-in voices');
    return c.json(
      { data: catalog.voices.map((v) => ({ id: v.id, provider: v.provider, name: v.name, language: v.language, ...(v.gender ? { gender: v.gender } : {}), ...(v.previewUrl ? { preview_url: v.previewUrl } : {}) })) },
      200,
    );
  });
}
