// A responsive grid of figures: four across on desktop (by default), two on tablets, one on phones.
import { Paper, SimpleGrid, type SimpleGridProps, Text } from '@mantine/core';
import type { StatCard } from './series';

export function StatCards({ cards, cols = { base: 1, xs: 2, md: 4 } }: { cards: StatCard[];
  cols?: SimpleGridProps['cols'] }) {
  return (
    <SimpleGrid cols={cols} spacing="md" mb="lg">
      {cards.map((card) => (
        <Paper key={card.label} withBorder p="md" radius="md" role="group" aria-label={card.label}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{card.label}</Text>
          <Text size="xl" fw={700} mt={4}>{card.value}</Text>
          {card.hint && <Text size="xs" c="dimmed" mt={2}>{card.hint}</Text>}
        </Paper>
      ))}
    </SimpleGrid>
  );
}
