import { type RunAgentOptions } from './run-agent.js';
import { type StubApi } from './stub-model/types.js';

/** Name of the provider the runners write into pi's and omp's model config. */
export const stubProviderName = 'forge-stub';

/** The model id the runners use for an API unless one is given. */
export function defaultStubModelId(api: StubApi): string {
  return api === 'anthropic-messages' ? 'claude-sonnet-4-5' : 'gpt-4.1';
}

/** A model's prices in USD per million tokens, as pi's and omp's model config takes them (`cost`). */
export interface StubModelCost {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * The `providers` config pi and omp share: one provider on the stub serving one model (priced at
 * `cost` when given, so the harness records each response's cost; else unpriced, cost 0). pi-family
 * clients append the API path themselves (Anthropic clients add `/v1`), so each API has its own base URL.
 */
export function stubProvidersConfig(stub: RunAgentOptions['stub'], api: StubApi, model: string, extra: Record<string, unknown> = {}, cost?: StubModelCost): { providers: Record<string, unknown> } {
  return {
    providers: {
      [stubProviderName]: {
        baseUrl: api === 'anthropic-messages' ? stub.anthropicBaseUrl : stub.openAiBaseUrl,
        api,
        apiKey: 'forge-stub-key',
        ...extra,
        models: [{ id: model, name: model, reasoning: true, input: ['text'], contextWindow: 200_000, maxTokens: 16_384, ...(cost == null ? {} : { cost }) }],
      },
    },
  };
}
