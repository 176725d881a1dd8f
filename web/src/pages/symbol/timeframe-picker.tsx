/** The chart's timeframe as a segmented control: a fieldset of toggle buttons named by its legend, the chosen one aria-pressed. */
import { TIMEFRAMES, type Timeframe } from "./candles";

export function TimeframePicker({ value, onChange }: { value: Timeframe; onChange: (tf: Timeframe) => void }) {
  return (
    <fieldset class="segmented" data-testid="chart-timeframe">
      <legend class="sr-only">Chart timeframe</legend>
      {TIMEFRAMES.map((tf) => (
        <button key={tf.value} type="button" aria-pressed={tf.value === value} onClick={() => onChange(tf.value)}>
          {tf.label}
        </button>
      ))}
    </fieldset>
  );
}
