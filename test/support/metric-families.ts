/** The metric families named in a Prometheus text exposition. */
export const metricFamilies = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('# TYPE '))
    .map((line) => line.split(' ')[2]);
