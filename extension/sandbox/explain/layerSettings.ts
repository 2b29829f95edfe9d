/**
 * A layer's settings that its input must fit (a Linear's feature counts, a conv's channels and
 * kernel, a norm's feature count), read from the engine's own layer classes: the data a failure
 * carries for its explanation and for quick fixes at the layer's construction.
 */
import { Linear } from "../../../engine/nn/linear";
import { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d } from "../../../engine/nn/conv";
import { BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm } from "../../../engine/nn/normalization";
import { Embedding } from "../../../engine/nn/dropout";
import type { LayerSettings } from "../../runProtocol/types";

const CONVS = [Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d];

/** The settings of `module` when it is (or extends) one of the engine's sized layers. */
export function layerSettings(module: object): LayerSettings | undefined {
  if (module instanceof Linear)
    return { type: "Linear", inFeatures: module.inFeatures, outFeatures: module.outFeatures };
  const conv = CONVS.find((cls) => module instanceof cls);
  if (conv) {
    const m = module as Conv1d;
    return {
      type: "Conv",
      className: conv.name,
      transposed: m.transposed,
      inChannels: m.inChannels,
      outChannels: m.outChannels,
      kernelSize: m.kernelSize.slice(),
      stride: m.stride.slice(),
      padding: typeof m.padding === "string" ? m.padding : m.padding.slice(),
      dilation: m.dilation.slice(),
      groups: m.groups,
    };
  }
  if (module instanceof BatchNorm1d || module instanceof BatchNorm2d) {
    const className = module instanceof BatchNorm1d ? "BatchNorm1d" : "BatchNorm2d";
    return { type: "BatchNorm", className, numFeatures: module.numFeatures };
  }
  if (module instanceof LayerNorm)
    return { type: "LayerNorm", normalizedShape: module.normalizedShape.slice() };
  if (module instanceof GroupNorm)
    return { type: "GroupNorm", numGroups: module.numGroups, numChannels: module.numChannels };
  if (module instanceof Embedding)
    return {
      type: "Embedding",
      numEmbeddings: module.numEmbeddings,
      embeddingDim: module.embeddingDim,
    };
  return undefined;
}
