// Last 7 / 30 / 90 days or a custom pair of UTC dates (both inclusive).
import { Group, SegmentedControl, TextInput } from '@mantine/core';
import { type RangePreset, type RangeValue, rangeError, rangeQuery } from './range';

const PRESETS = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: 'custom', label: 'Custom' },
];

export function RangeSelector({ value, onChange }: { value: RangeValue; onChange: (value: RangeValue) => void }) {
  const choose = (preset: string) => {
    if (preset === 'custom') {
      // start the custom range from what is shown now
      const shown = rangeQuery(value);
      onChange({ preset: 'custom', from: shown?.from ?? value.from, to: shown?.to ?? value.to });
    } else {
      onChange({ ...value, preset: preset as RangePreset });
    }
  };
  const error = rangeError(value);
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <SegmentedControl aria-label="Report range" value={value.preset} onChange={choose} data={PRESETS} />
      {value.preset === 'custom' && (
        <>
          <TextInput type="date" label="From (UTC)" value={value.from} max={value.to || undefined}
            onChange={(e) => onChange({ ...value, from: e.currentTarget.value })} error={error ? true : undefined} />
          <TextInput type="date" label="To (UTC, inclusive)" value={value.to}
            min={value.from || undefined}
            onChange={(e) => onChange({ ...value, to: e.currentTarget.value })} error={error || undefined} />
        </>
      )}
    </Group>
  );
}
