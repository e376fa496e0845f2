// The segments as wavesurfer regions, for the visible window only.
// [Note: regions for the visible window] Each wavesurfer region is a DOM element with
// resize handles and listeners, and the plugin measures layout once per region as it
// attaches it: 2,000 regions on a 1-hour file cost ~3 s of forced layouts before the
// waveform showed. So regions exist only for segments in view (plus a margin), and only
// when there are few enough to be draggable at this zoom; otherwise the view shows a
// hint to zoom in (the sentiment strip still shows every segment). The selected segment
// always keeps its region, and a region being dragged is never taken away.

import type RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.esm.js';
import type { Region } from 'wavesurfer.js/dist/plugins/regions.esm.js';
import type { Segment } from '../../../shared/domain';
import type { TimeWindow } from './visible-window';

/** Above this many segments in view, regions would be too thin to grab and too many to build quickly. */
export const MAX_REGIONS = 250;
export const REGION_PREFIX = 'seg-';

export interface RegionLook {
  color(segmentId: number): string;
  selectedId(): number | null;
  minLength: number;
}

export interface RegionSync {
  /** Segments overlapping the window. */
  inView: number;
  /** False when there were too many to draw as regions. */
  drawn: boolean;
}

export function segmentIdOf(region: Region): number | null {
  return region.id.startsWith(REGION_PREFIX) ? Number(region.id.slice(REGION_PREFIX.length)) : null;
}

export class SegmentRegions {
  private readonly byId = new Map<number, Region>();

  constructor(
    private readonly plugin: InstanceType<typeof RegionsPlugin>,
    private readonly look: RegionLook,
  ) {}

  sync(segments: readonly Segment[], window: TimeWindow): RegionSync {
    const inView = segments.filter((s) => s.end > window.start && s.start < window.end);
    const drawn = inView.length <= MAX_REGIONS;
    const wanted = new Map<number, Segment>();
    if (drawn) for (const s of inView) wanted.set(s.id, s);
    const selectedId = this.look.selectedId();
    if (selectedId !== null && !wanted.has(selectedId)) {
      const selected = segments.find((s) => s.id === selectedId);
      if (selected) wanted.set(selected.id, selected);
    }
    for (const [id, region] of this.byId) {
      if (!wanted.has(id) && !region.isDragging) {
        region.remove();
        this.byId.delete(id);
      }
    }
    for (const s of wanted.values()) this.put(s, selectedId);
    return { inView: inView.length, drawn };
  }

  private put(s: Segment, selectedId: number | null): void {
    const color = this.look.color(s.id);
    const region = this.byId.get(s.id);
    if (region) {
      if (Math.abs(region.start - s.start) > 1e-4 || Math.abs(region.end - s.end) > 1e-4 || region.color !== color) {
        region.setOptions({ start: s.start, end: s.end, color });
      }
      region.element?.classList.toggle('is-selected', selectedId === s.id);
      return;
    }
    const added = this.plugin.addRegion({
      id: `${REGION_PREFIX}${s.id}`,
      start: s.start,
      end: s.end,
      color,
      drag: true,
      resize: true,
      minLength: this.look.minLength,
    });
    added.element?.setAttribute('data-testid', 'segment-region');
    added.element?.setAttribute('data-segment-id', String(s.id));
    added.element?.classList.toggle('is-selected', selectedId === s.id);
    this.byId.set(s.id, added);
  }

  clear(): void {
    for (const region of this.byId.values()) region.remove();
    this.byId.clear();
  }
}
