import { usageTokens, type ModelPrices, type Session, type Usage } from '@forge/schema';

/** What a session cost in USD, or why it is unknown: the models that answered with no recorded cost and no price. */
export type SessionCost = { known: true; usd: number } | { known: false; unpricedModels: string[] };

/** USD of a usage at a model's prices (per million tokens; a missing cache price is the input price). */
function pricedCost(usage: Usage, price: ModelPrices[string]): number {
  return (usage.input * price.input + usage.output * price.output + usage.cacheRead * (price.cacheRead ?? price.input) + usage.cacheWrite * (price.cacheWrite ?? price.input)) / 1_000_000;
}

/**
 * A session's cost: per response, the cost the transcript recorded, else the response's model
 * (else the session's first) at `prices`. Unknown when a response with tokens has neither; a
 * session without tokens cost nothing.
 */
export function sessionCost(session: Session, prices: ModelPrices = {}): SessionCost {
  let usd = 0;
  const unpriced = new Set<string>();
  const responses = session.messages.filter((message) => message.usage != null);
  // A reader that only totals usage: price the total at the session's model.
  const parts = responses.length > 0 ? responses.map((message) => ({ usage: message.usage!, model: message.model ?? session.models[0] })) : [{ usage: session.usage, model: session.models[0] }];
  for (const { usage, model } of parts) {
    if (usage.cost != null) usd += usage.cost;
    else if (usageTokens(usage) === 0) continue;
    else if (model != null && prices[model] != null) usd += pricedCost(usage, prices[model]);
    else unpriced.add(model ?? 'unknown');
  }
  return unpriced.size > 0 ? { known: false, unpricedModels: [...unpriced].sort() } : { known: true, usd };
}
