import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);

const EnvSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().default('0.0.0.0'),
  CALLINGBOX_DATA_DIR: z.string().default('.callingbox'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  CALLINGBOX_TIMEZONE: z.string().default('UTC'),
  CALLINGBOX_SIP_PORT: port.default(5060),
  CALLINGBOX_SIP_HOST: z.string().default('0.0.0.0'),
  CALLINGBOX_SIP_PUBLIC_IP: z.string().optional(),
  CALLINGBOX_SANDBOX_ALLOWED_CIDRS: z.string().default(''),
  CALLINGBOX_MAX_CONCURRENT_CALLS: z.coerce.number().int().positive().default(100),
  CALLINGBOX_RTP_PORTS: z
    .string()
    .regex(/^\d+-\d+$/, 'must look like 10000-20000')
    .default('10000-20000'),
  CALLINGBOX_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(50),
  CALLINGBOX_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(200),
  CALLINGBOX_RATE_MILLI_CENTS_PER_MINUTE: z.coerce.number().int().min(0).default(0),
  CALLINGBOX_MAX_CALL_SECONDS: z.coerce.number().int().positive().default(3600),
  CALLINGBOX_RECORDING: bool.default(false),
  CALLINGBOX_STT: z.enum(['local', 'deepgram', 'openai']).default('local'),
  CALLINGBOX_LLM: z.enum(['local', 'openai', 'openai-compatible', 'anthropic']).default('local'),
  CALLINGBOX_LLM_MODEL: z.string().optional(),
  CALLINGBOX_TTS: z.enum(['local', 'elevenlabs', 'openai', 'deepgram']).default('local'),
  CALLINGBOX_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CALLINGBOX_DEMO: bool.default(true),
  NODE_ENV: z.string().optional(),
  CALLINGBOX_ALLOW_PRIVATE_WEBHOOKS: bool.optional(),
  CALLINGBOX_WEBHOOK_RETRY_SCHEDULE: z.string().regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, 'comma-separated seconds, e.g. 60,300,1800').optional(),
  CALLINGBOX_WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  CALLINGBOX_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  CALLINGBOX_WORKER_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  CALLINGBOX_EXTRACTION_LLM: z.enum(['local', 'openai', 'openai-compatible', 'anthropic']).optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  DEEPGRAM_API_KEY: z.string().optional(),
  DEEPGRAM_BASE_URL: z.url().optional(),
  ELEVENLABS_API_KEY: z.string().optional(),
  ELEVENLABS_BASE_URL: z.url().optional(),
});

/** A cloud or self-hosted provider's credentials; `baseUrl` points the real client elsewhere (a fake server in tests, Ollama, vLLM…). */
export interface ProviderEndpoint {
  apiKey: string | undefined;
  baseUrl: string | undefined;
}

/** Typed, validated configuration. Built once, in the composition root. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  defaultTimezone: string;
  sipPort: number;
  sipHost: string;
  sipPublicIp: string | undefined;
  sandboxAllowedCidrs: string[];
  maxConcurrentCalls: number;
  rtpPorts: { min: number; max: number };
  rateLimit: { perSecond: number; burst: number };
  rateMilliCentsPerMinute: number;
  defaults: {
    maxCallSeconds: number;
    recording: boolean;
    stt: string;
    llm: string;
    llmModel: string | undefined;
    tts: string;
    /** The extraction model's provider (`CALLINGBOX_EXTRACTION_LLM`); the LLM provider when absent. */
    extractionLlm: string;
  };
  /** Keys and base URLs of the cloud providers (`providers.md` → Configuration). */
  providers: {
    openai: ProviderEndpoint;
    anthropic: ProviderEndpoint;
    deepgram: ProviderEndpoint;
    elevenlabs: ProviderEndpoint;
  };
  logLevel: string;
  seedDemo: boolean;
  /** calls.md → Crash recovery: a worker silent this long has lost its calls (30 s; shorter in tests). */
  workerTimeoutMs: number;
  webhooks: {
    /** Private targets allowed: the development default; `NODE_ENV=production` refuses them unless set. */
    allowPrivate: boolean;
    retryScheduleS: number[] | undefined;
    pollMs: number;
    timeoutMs: number;
  };
}

/** Thrown when the environment is invalid: names the variable and what it must look like. */
export class ConfigError extends Error {}

/** The only reader of `process.env` (STYLE → Layout, `config/`). Fails fast with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid environment variable ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const [rtpMin, rtpMax] = e.CALLINGBOX_RTP_PORTS.split('-').map(Number) as [number, number];
  if (!isValidTimeZone(e.CALLINGBOX_TIMEZONE)) throw new ConfigError(`Invalid environment variable CALLINGBOX_TIMEZONE: '${e.CALLINGBOX_TIMEZONE}' is not an IANA time zone`);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.CALLINGBOX_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    defaultTimezone: e.CALLINGBOX_TIMEZONE,
    sipPort: e.CALLINGBOX_SIP_PORT,
    sipHost: e.CALLINGBOX_SIP_HOST,
    sipPublicIp: e.CALLINGBOX_SIP_PUBLIC_IP,
    sandboxAllowedCidrs: e.CALLINGBOX_SANDBOX_ALLOWED_CIDRS.split(',').map((s) => s.trim()).filter(Boolean),
    maxConcurrentCalls: e.CALLINGBOX_MAX_CONCURRENT_CALLS,
    rtpPorts: { min: rtpMin, max: rtpMax },
    rateLimit: { perSecond: e.CALLINGBOX_RATE_LIMIT_PER_SECOND, burst: e.CALLINGBOX_RATE_LIMIT_BURST },
    rateMilliCentsPerMinute: e.CALLINGBOX_RATE_MILLI_CENTS_PER_MINUTE,
    defaults: {
      maxCallSeconds: e.CALLINGBOX_MAX_CALL_SECONDS,
      recording: e.CALLINGBOX_RECORDING,
      stt: e.CALLINGBOX_STT,
      llm: e.CALLINGBOX_LLM,
      llmModel: e.CALLINGBOX_LLM_MODEL,
      tts: e.CALLINGBOX_TTS,
      extractionLlm: e.CALLINGBOX_EXTRACTION_LLM ?? e.CALLINGBOX_LLM,
    },
    providers: {
      openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL },
      anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL },
      deepgram: { apiKey: e.DEEPGRAM_API_KEY, baseUrl: e.DEEPGRAM_BASE_URL },
      elevenlabs: { apiKey: e.ELEVENLABS_API_KEY, baseUrl: e.ELEVENLABS_BASE_URL },
    },
    logLevel: e.CALLINGBOX_LOG_LEVEL,
    seedDemo: e.CALLINGBOX_DEMO,
    workerTimeoutMs: e.CALLINGBOX_WORKER_TIMEOUT_MS,
    webhooks: {
      allowPrivate: e.CALLINGBOX_ALLOW_PRIVATE_WEBHOOKS ?? e.NODE_ENV !== 'production',
      retryScheduleS: e.CALLINGBOX_WEBHOOK_RETRY_SCHEDULE?.split(',').map(Number),
      pollMs: e.CALLINGBOX_WEBHOOK_POLL_MS,
      timeoutMs: e.CALLINGBOX_WEBHOOK_TIMEOUT_MS,
    },
  };
}

/** True when `tz` is an IANA zone name the runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
