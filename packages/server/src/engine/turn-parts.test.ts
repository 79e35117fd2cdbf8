import { describe, expect, it } from 'vitest';
import { endpointDelayMs, trailingDigitCount } from './endpointing.ts';
import { hasContent, isBackchannel } from './backchannel.ts';
import { BargeInDetector } from './barge-in.ts';

const S = { minEndpointingMs: 300, maxEndpointingMs: 1200 };

describe('endpointing from transcript cues', () => {
  it.each([
    ['i would like to book a cleaning', 300],
    ['i would like to book a cleaning and', 1200],
    ['my number is four one five five', 1200],
    ['my number is four one five five five five zero one three four', 300],
    ['um', 1200],
    ['', 300],
    ['it is 415 555', 1200],
  ])('%j waits %i ms', (text, ms) => {
    expect(endpointDelayMs(text, S)).toBe(ms);
  });

  it('counts spoken digits, double and triple', () => {
    expect(trailingDigitCount('call me at four one five double five')).toBe(5);
    expect(trailingDigitCount('triple seven')).toBe(3);
    expect(trailingDigitCount('415 555 0134')).toBe(10);
    expect(trailingDigitCount('hello there')).toBe(0);
  });
});

describe('backchannels', () => {
  it.each(['okay', 'mm-hmm', 'yeah right', 'uh-huh', 'i see'])('%j is a backchannel', (t) => {
    expect(isBackchannel(t)).toBe(true);
    expect(hasContent(t)).toBe(false);
  });
  it.each(['wait', 'stop please', 'yeah but i need tuesday', 'okay okay okay okay'])('%j has content', (t) => {
    expect(hasContent(t)).toBe(true);
  });
});

describe('barge-in decision', () => {
  it('interrupts after interruption_min_ms of speech with words that are not a backchannel', () => {
    const d = new BargeInDetector({ interruptionMinMs: 250, ignoreBackchannels: true });
    d.speechStarted(1000);
    d.heard('wait');
    expect(d.shouldInterrupt(1200)).toBe(false);
    expect(d.shouldInterrupt(1250)).toBe(true);
  });

  it('lets a backchannel pass, and interrupts speech too long to be one', () => {
    const d = new BargeInDetector({ interruptionMinMs: 250, ignoreBackchannels: true, backchannelMaxMs: 900 });
    d.speechStarted(0);
    d.heard('okay');
    expect(d.shouldInterrupt(600)).toBe(false);
    expect(d.shouldInterrupt(899)).toBe(false);
    expect(d.shouldInterrupt(900)).toBe(true);
  });

  it('interrupts on any speech when backchannels are not ignored, never after the speech ended', () => {
    const d = new BargeInDetector({ interruptionMinMs: 250, ignoreBackchannels: false });
    d.speechStarted(0);
    d.heard('okay');
    expect(d.shouldInterrupt(260)).toBe(true);
    d.speechEnded();
    expect(d.shouldInterrupt(5000)).toBe(false);
  });
});
