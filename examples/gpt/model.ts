// examples/gpt/model.ts — a GPT language model ported line by line from Karpathy's nanoGPT (model.py):
// token and position embeddings, pre-norm transformer blocks with causal self-attention and a GELU MLP,
// a final LayerNorm and a language-model head tied to the token embedding.
import * as torch from 'kindling';
import { nn, optim, type Tensor } from 'kindling';

const F = nn.functional;

/** nanoGPT's GPTConfig; the field names are its own, camel-cased. */
export interface GPTConfig {
  blockSize: number;
  vocabSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  dropout: number;
  /** Biases in the Linears and LayerNorms, as GPT-2 has them. */
  bias: boolean;
}

// Field names below are nanoGPT's (c_attn, ln_1, lm_head …), so the state dict's keys are the same as a
// PyTorch nanoGPT checkpoint's.

/** LayerNorm with an optional bias (PyTorch 1.13's nn.LayerNorm has no bias=False), as nanoGPT's own. */
export class LayerNorm extends nn.Module {
  readonly weight: nn.Parameter;
  readonly bias: nn.Parameter | null;
  constructor(readonly ndim: number, bias: boolean) {
    super();
    this.weight = new nn.Parameter(torch.ones(ndim));
    this.bias = bias ? new nn.Parameter(torch.zeros(ndim)) : null;
  }
  forward(input: Tensor): Tensor {
    return F.layerNorm(input, [this.ndim], this.weight, this.bias, 1e-5);
  }
}

/** Multi-head masked self-attention: each position attends to itself and the positions before it. */
export class CausalSelfAttention extends nn.Module {
  readonly c_attn: nn.Linear;
  readonly c_proj: nn.Linear;
  readonly attn_dropout: nn.Dropout;
  readonly resid_dropout: nn.Dropout;
  readonly nHead: number;
  readonly nEmbd: number;
  readonly dropout: number;
  readonly flash: boolean;
  declare readonly bias: Tensor;
  constructor(config: GPTConfig) {
    super();
    if (config.nEmbd % config.nHead !== 0) throw new Error(`n_embd ${config.nEmbd} is not a multiple of n_head ${config.nHead}`);
    // key, query, value projections for all heads, but in a batch
    this.c_attn = new nn.Linear(config.nEmbd, 3 * config.nEmbd, { bias: config.bias });
    // output projection
    this.c_proj = new nn.Linear(config.nEmbd, config.nEmbd, { bias: config.bias });
    this.attn_dropout = new nn.Dropout(config.dropout);
    this.resid_dropout = new nn.Dropout(config.dropout);
    this.nHead = config.nHead;
    this.nEmbd = config.nEmbd;
    this.dropout = config.dropout;
    // flash attention make GPU go brrrrr (nanoGPT's words; here the native backend's blockwise kernels)
    this.flash = typeof F.scaledDotProductAttention === 'function';
    // causal mask to ensure that attention is only applied to the left in the input sequence; registered
    // either way, so that the state dict matches the PyTorch 1.13 run's (whose nanoGPT had no flash)
    const n = config.blockSize;
    this.registerBuffer('bias', torch.tril(torch.ones(n, n)).view(1, 1, n, n));
  }

  forward(x: Tensor): Tensor {
    const [B, T, C] = x.size(); // batch size, sequence length, embedding dimensionality (n_embd)
    // calculate query, key, values for all heads in batch and move head forward to be the batch dim
    const [q, k, v] = this.c_attn(x).split(this.nEmbd, 2).map((t) => t.view(B, T, this.nHead, C / this.nHead).transpose(1, 2)); // (B, nh, T, hs)
    // causal self-attention; Self-attend: (B, nh, T, hs) x (B, nh, hs, T) -> (B, nh, T, T)
    let y: Tensor;
    if (this.flash) {
      // efficient attention using Flash Attention kernels
      y = F.scaledDotProductAttention(q, k, v, { dropoutP: this.training ? this.dropout : 0, isCausal: true });
    } else {
      // manual implementation of attention
      let att = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.sqrt(k.size(-1)));
      att = att.maskedFill(this.bias.narrow(2, 0, T).narrow(3, 0, T).eq(0), -Infinity);
      att = F.softmax(att, -1);
      att = this.attn_dropout(att);
      y = att.matmul(v); // (B, nh, T, T) x (B, nh, T, hs) -> (B, nh, T, hs)
    }
    y = y.transpose(1, 2).contiguous().view(B, T, C); // re-assemble all head outputs side by side
    // output projection
    return this.resid_dropout(this.c_proj(y));
  }
}

/** The feed-forward part of a block: Linear to 4·n_embd, GELU, Linear back, dropout. */
export class MLP extends nn.Module {
  readonly c_fc: nn.Linear;
  readonly gelu: nn.GELU;
  readonly c_proj: nn.Linear;
  readonly dropout: nn.Dropout;
  constructor(config: GPTConfig) {
    super();
    this.c_fc = new nn.Linear(config.nEmbd, 4 * config.nEmbd, { bias: config.bias });
    this.gelu = new nn.GELU();
    this.c_proj = new nn.Linear(4 * config.nEmbd, config.nEmbd, { bias: config.bias });
    this.dropout = new nn.Dropout(config.dropout);
  }
  forward(x: Tensor): Tensor {
    return this.dropout(this.c_proj(this.gelu(this.c_fc(x))));
  }
}

/** A transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
export class Block extends nn.Module {
  readonly ln_1: LayerNorm;
  readonly attn: CausalSelfAttention;
  readonly ln_2: LayerNorm;
  readonly mlp: MLP;
  constructor(config: GPTConfig) {
    super();
    this.ln_1 = new LayerNorm(config.nEmbd, config.bias);
    this.attn = new CausalSelfAttention(config);
    this.ln_2 = new LayerNorm(config.nEmbd, config.bias);
    this.mlp = new MLP(config);
  }
  forward(x: Tensor): Tensor {
    x = x.add(this.attn(this.ln_1(x)));
    return x.add(this.mlp(this.ln_2(x)));
  }
}

/** nanoGPT's `self.transformer` ModuleDict, with its entries typed. */
type Transformer = nn.ModuleDict & { wte: nn.Embedding; wpe: nn.Embedding; drop: nn.Dropout; h: nn.ModuleList; ln_f: LayerNorm };

/** Options of `GPT.generate`, as nanoGPT's. */
export interface GenerateOptions {
  /** Divides the logits before the softmax: below 1 sharper, above 1 more random. */
  temperature?: number;
  /** Keeps only the topK most likely tokens at each step. */
  topK?: number | null;
  /** Draws the samples from this generator instead of the global one. */
  generator?: torch.Generator;
}

/**
 * The GPT language model, called as nanoGPT's: `model(idx, targets)` gives the logits (B, T, vocabSize) and the
 * mean cross-entropy of the next-token predictions; `model(idx)` gives the last position's logits (B, 1, vocabSize)
 * and null, which is all that generation needs (nanoGPT's inference-time mini-optimization).
 */
export class GPT extends nn.Module<[Tensor, Tensor?], [Tensor, Tensor | null]> {
  readonly config: GPTConfig;
  readonly transformer: Transformer;
  readonly lm_head: nn.Linear;

  constructor(config: GPTConfig) {
    super();
    this.config = config;
    this.transformer = new nn.ModuleDict({
      wte: new nn.Embedding(config.vocabSize, config.nEmbd),
      wpe: new nn.Embedding(config.blockSize, config.nEmbd),
      drop: new nn.Dropout(config.dropout),
      h: new nn.ModuleList(Array.from({ length: config.nLayer }, () => new Block(config))),
      ln_f: new LayerNorm(config.nEmbd, config.bias),
    }) as Transformer;
    this.lm_head = new nn.Linear(config.nEmbd, config.vocabSize, { bias: false });
    // Weight tying (https://paperswithcode.com/method/weight-tying): one matrix embeds tokens and scores them;
    // the fields are readonly to users, so the tie goes through a mutable view of the embedding.
    (this.transformer.wte as { weight: nn.Parameter }).weight = this.lm_head.weight;
    // init all weights, then apply the special scaled init to the residual projections, per the GPT-2 paper
    this.apply((m) => { initWeights(m); });
    for (const [pn, p] of this.namedParameters()) {
      if (pn.endsWith('c_proj.weight')) nn.init.normal_(p, 0.0, 0.02 / Math.sqrt(2 * config.nLayer));
    }
  }

  /** The number of parameters; the position embeddings are left out unless `nonEmbedding` is false. */
  getNumParams(nonEmbedding = true): number {
    const n = this.parameters().reduce((s, p) => s + p.numel(), 0);
    return nonEmbedding ? n - this.transformer.wpe.weight.numel() : n;
  }

  forward(idx: Tensor, targets?: Tensor): [Tensor, Tensor | null] {
    const [, t] = idx.size();
    if (t > this.config.blockSize) throw new Error(`Cannot forward sequence of length ${t}, block size is only ${this.config.blockSize}`);
    const pos = torch.arange(t, { dtype: torch.long, device: idx.device }); // shape (t)
    // forward the GPT model itself
    const tokEmb = this.transformer.wte(idx); // token embeddings of shape (b, t, n_embd)
    const posEmb = this.transformer.wpe(pos); // position embeddings of shape (t, n_embd)
    let x = this.transformer.drop(tokEmb.add(posEmb));
    for (const block of this.transformer.h) x = block(x);
    x = this.transformer.ln_f(x);
    if (targets !== undefined) {
      // if we are given some desired targets also calculate the loss
      const logits = this.lm_head(x);
      return [logits, F.crossEntropy(logits.view(-1, logits.size(-1)), targets.view(-1), { ignoreIndex: -1 })];
    }
    // inference-time mini-optimization: only forward the lm_head on the very last position
    return [this.lm_head(x.narrow(1, t - 1, 1)), null];
  }

  /**
   * AdamW with weight decay on the matrices (every parameter of 2 or more dims) and none on biases and
   * LayerNorm gains, as nanoGPT's configure_optimizers.
   */
  configureOptimizers(weightDecay: number, learningRate: number, betas: [number, number]): optim.AdamW {
    const params = this.parameters().filter((p) => p.requiresGrad);
    const optimGroups = [
      { params: params.filter((p) => p.dim() >= 2), weightDecay },
      { params: params.filter((p) => p.dim() < 2), weightDecay: 0.0 },
    ];
    return new optim.AdamW(optimGroups, { lr: learningRate, betas });
  }

  /**
   * Continues each row of `idx` (B, T) by `maxNewTokens` tokens, feeding the predictions back in:
   * the last blockSize tokens are the context, the logits are divided by the temperature, optionally
   * cut to the topK largest, and the next token is drawn from their softmax with torch.multinomial.
   * Call it in eval mode (dropout off), as nanoGPT's sample.py does.
   */
  generate(idx: Tensor, maxNewTokens: number, { temperature = 1.0, topK = null, generator }: GenerateOptions = {}): Tensor {
    return torch.noGrad(() => {
      for (let i = 0; i < maxNewTokens; i++) {
        // if the sequence context is growing too long we must crop it at block_size
        const T = idx.size(1), bs = this.config.blockSize;
        const idxCond = T <= bs ? idx : idx.narrow(1, T - bs, bs);
        // forward the model to get the logits for the index in the sequence
        const [last] = this.forward(idxCond);
        // pluck the logits at the final step and scale by desired temperature
        let logits = last.select(1, 0).div(temperature);
        // optionally crop the logits to only the top k options
        if (topK !== null) {
          const { values: v } = torch.topk(logits, Math.min(topK, logits.size(-1)));
          logits = logits.maskedFill(logits.lt(v.narrow(1, v.size(1) - 1, 1)), -Infinity);
        }
        // apply softmax to convert logits to (normalized) probabilities
        const probs = F.softmax(logits, -1);
        // sample from the distribution
        const idxNext = torch.multinomial(probs, 1, false, { generator });
        // append sampled index to the running sequence and continue
        idx = torch.cat([idx, idxNext], 1);
      }
      return idx;
    });
  }
}

/** nanoGPT's _init_weights: N(0, 0.02) for Linear and Embedding weights, zero biases. */
function initWeights(module: object): void {
  if (module instanceof nn.Linear) {
    nn.init.normal_(module.weight, 0.0, 0.02);
    if (module.bias !== null) nn.init.zeros_(module.bias);
  } else if (module instanceof nn.Embedding) {
    nn.init.normal_(module.weight, 0.0, 0.02);
  }
}
