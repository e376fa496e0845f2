// Progress of one analysis job as events: the stage, work done in it, the job's percent
// (never decreasing) and an estimate of the time left.

import type { AnalysisProgress, AnalysisStage } from '../../../shared/analysis-job';

// Share of the job's percent each working stage covers. VAD decodes and scores all the
// audio; the analysis stage decodes audio and frames and runs the face nets, about 4x more.
const SPANS: Partial<Record<AnalysisStage, [number, number]>> = {
  probe: [0, 2],
  segment: [2, 20],
  analyze: [20, 100],
};

export class JobProgress {
  private percent = 0;
  private stage: AnalysisStage = 'queued';
  private readonly began = performance.now();
  media: string;
  mediaId: number | null = null;

  constructor(
    readonly jobId: string,
    media: string,
    private readonly emit: (event: AnalysisProgress) => void,
  ) {
    this.media = media;
  }

  /** Reports `done` of `total` in `stage`; a stage earlier than the current one is ignored. */
  report(stage: AnalysisStage, done: number, total: number): void {
    const order = ['queued', 'probe', 'segment', 'analyze', 'done', 'cancelled', 'failed'];
    if (order.indexOf(stage) < order.indexOf(this.stage)) return;
    this.stage = stage;
    const span = SPANS[stage];
    const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
    const percent = stage === 'done' ? 100 : span ? span[0] + (span[1] - span[0]) * fraction : this.percent;
    this.percent = Math.max(this.percent, percent);
    const elapsed = (performance.now() - this.began) / 1000;
    // Too early an estimate swings wildly: wait for 3% and half a second of work.
    const eta = stage === 'done' ? 0 : this.percent >= 3 && elapsed > 0.5 ? (elapsed * (100 - this.percent)) / this.percent : null;
    this.emit({
      jobId: this.jobId,
      mediaId: this.mediaId,
      media: this.media,
      stage,
      done,
      total,
      percent: Math.round(this.percent * 10) / 10,
      etaSeconds: eta === null ? null : Math.round(eta * 10) / 10,
    });
  }
}
