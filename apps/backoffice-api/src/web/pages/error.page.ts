import { markup } from '../markup';
import { layout, type PageFrame } from './layout.page';

export function errorPage(session: PageFrame['session'], title: string, text: string): string {
  return layout(
    { title, session },
    markup`<h1>${title}</h1><section class="card"><p>${text}</p><p><a href="/">К очереди проверки</a></p></section>`,
  );
}
