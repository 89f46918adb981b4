export { AnalyticsCharts } from './AnalyticsCharts';
export { RangeSelector } from './RangeSelector';
export { StatCards } from './StatCards';
export * from './format';
export * from './range';
export * from './series';
