// Visual modality: BlazeFace detection and mini-Xception expression (ONNX, converted from
// @vladmandic/human by scripts/convert-face-models.py), per-frame features, segment
// statistics and the recipe a model pack's manifest records.

export {
  BLAZEFACE_SHA256,
  DEFAULT_VISUAL_RECIPE,
  EMOTION_LABELS,
  EMOTION_SHA256,
  VISUAL_RECIPE_VERSION,
  describeVisualRecipeMismatch,
} from './recipe';
export type { EmotionLabel, VisualRecipe } from './recipe';
export { defaultFaceModelDir, loadFaceModels, readFaceModelManifest } from './face-models';
export type { FaceModelEntry, FaceModelManifest, FaceModelName, FaceModels } from './face-models';
export { FaceDetector, blazeFaceAnchors, iou, nonMaxSuppression } from './face-detector';
export type { FaceDetection, FaceDetectorOptions } from './face-detector';
export { ExpressionClassifier, expressionCrop, mainFace } from './expression';
export { FaceTrack } from './face-track';
export type { FaceTrackOptions, TimedFrame, TrackedFrame } from './face-track';
export { faceShift, greyThumbnail } from './face-motion';
export type { GreyLevel, GreyThumbnail } from './face-motion';
export type { ExpressionOptions, ExpressionResult } from './expression';
export { GREY_WEIGHTS, cropToGreyTensor, letterboxToTensor, unletterboxBox } from './image-ops';
export type { Letterbox, PixelBox, RgbImage } from './image-ops';
export { VisualAnalyzer, extractVisualFeatures, visualStatistics } from './visual-features';
export type { VisualAbsenceReason, VisualAnalyzerOptions, VisualFeatures, VisualFrameFeatures, VisualStatistics } from './visual-features';
