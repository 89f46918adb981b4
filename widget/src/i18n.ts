// The panel's strings in the languages the widget ships with. The agent's language picks the table; "auto"
// agents follow the browser (see pickLanguage).
export interface Strings {
  send: string;
  placeholder: string;
  typing: string;
  newChat: string;
  close: string;
  sources: string;
  helpful: string;
  up: string;
  down: string;
  thanks: string;
  human: string;
  handedOff: string;
  offline: string;
  failed: string;
  retry: string;
  slow: string;
  unavailable: string;
  search: string;
  ask: string;
  noResults: string;
  results: string;
  suggestions: string;
  you: string;
  assistant: string;
  powered: string;
}

const TABLES: Record<string, Strings> = {
  en: {
    send: 'Send', placeholder: 'Type your message…', typing: 'The assistant is typing', newChat: 'New conversation',
    close: 'Close', sources: 'Sources', helpful: 'Was this helpful?', up: 'Helpful', down: 'Not helpful',
    thanks: 'Thanks for your feedback!', human: 'Talk to a human',
    handedOff: 'We have passed your conversation to our team.',
    offline: 'The connection was lost. Check your network and try again.',
    failed: 'Something went wrong on our side. Please try again.', retry: 'Retry',
    slow: 'You are sending messages too fast. Please wait {s} s.', unavailable: 'This chat is not available here.',
    search: 'Search for answers…', ask: 'Ask', noResults: 'No matching articles. Ask the assistant instead.',
    results: '{n} matching articles', suggestions: 'Suggested questions', you: 'You', assistant: 'Assistant',
    powered: 'Powered by Engage',
  },
  de: {
    send: 'Senden', placeholder: 'Nachricht eingeben…', typing: 'Der Assistent schreibt', newChat: 'Neues Gespräch',
    close: 'Schließen', sources: 'Quellen', helpful: 'War das hilfreich?', up: 'Hilfreich', down: 'Nicht hilfreich',
    thanks: 'Danke für Ihr Feedback!', human: 'Mit einem Menschen sprechen',
    handedOff: 'Wir haben Ihr Gespräch an unser Team weitergegeben.',
    offline: 'Die Verbindung wurde unterbrochen. Prüfen Sie Ihr Netzwerk und versuchen Sie es erneut.',
    failed: 'Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.', retry: 'Erneut versuchen',
    slow: 'Sie senden zu schnell. Bitte warten Sie {s} s.', unavailable: 'Dieser Chat ist hier nicht verfügbar.',
    search: 'Antworten suchen…', ask: 'Fragen', noResults: 'Keine passenden Artikel. Fragen Sie den Assistenten.',
    results: '{n} passende Artikel', suggestions: 'Vorgeschlagene Fragen', you: 'Sie', assistant: 'Assistent',
    powered: 'Bereitgestellt von Engage',
  },
  fr: {
    send: 'Envoyer', placeholder: 'Écrivez votre message…', typing: "L'assistant écrit",
    newChat: 'Nouvelle conversation', close: 'Fermer', sources: 'Sources', helpful: 'Cette réponse vous a-t-elle aidé ?',
    up: 'Utile', down: 'Pas utile', thanks: 'Merci pour votre retour !', human: 'Parler à un humain',
    handedOff: 'Nous avons transmis votre conversation à notre équipe.',
    offline: 'La connexion a été perdue. Vérifiez votre réseau et réessayez.',
    failed: 'Un problème est survenu de notre côté. Veuillez réessayer.', retry: 'Réessayer',
    slow: 'Vous envoyez des messages trop vite. Patientez {s} s.', unavailable: "Ce chat n'est pas disponible ici.",
    search: 'Rechercher des réponses…', ask: 'Demander',
    noResults: "Aucun article correspondant. Posez plutôt la question à l'assistant.", results: '{n} articles trouvés',
    suggestions: 'Questions suggérées', you: 'Vous', assistant: 'Assistant', powered: 'Propulsé par Engage',
  },
  es: {
    send: 'Enviar', placeholder: 'Escribe tu mensaje…', typing: 'El asistente está escribiendo',
    newChat: 'Nueva conversación', close: 'Cerrar', sources: 'Fuentes', helpful: '¿Te ha sido útil?', up: 'Útil',
    down: 'No es útil', thanks: '¡Gracias por tu opinión!', human: 'Hablar con una persona',
    handedOff: 'Hemos pasado tu conversación a nuestro equipo.',
    offline: 'Se perdió la conexión. Comprueba tu red e inténtalo de nuevo.',
    failed: 'Algo salió mal por nuestra parte. Inténtalo de nuevo.', retry: 'Reintentar',
    slow: 'Estás enviando mensajes demasiado rápido. Espera {s} s.', unavailable: 'Este chat no está disponible aquí.',
    search: 'Buscar respuestas…', ask: 'Preguntar', noResults: 'No hay artículos. Pregunta al asistente.',
    results: '{n} artículos encontrados', suggestions: 'Preguntas sugeridas', you: 'Tú', assistant: 'Asistente',
    powered: 'Con la tecnología de Engage',
  },
  zh: {
    send: '发送', placeholder: '输入您的消息…', typing: '助手正在输入', newChat: '新对话', close: '关闭', sources: '来源',
    helpful: '这个回答有帮助吗？', up: '有帮助', down: '没有帮助', thanks: '感谢您的反馈！', human: '联系人工客服',
    handedOff: '我们已将您的对话转交给我们的团队。', offline: '连接已断开。请检查网络后重试。',
    failed: '我们这边出了点问题，请重试。', retry: '重试', slow: '您发送消息过快，请等待 {s} 秒。',
    unavailable: '此聊天在本网站不可用。', search: '搜索答案…', ask: '提问', noResults: '没有匹配的文章，请直接询问助手。',
    results: '找到 {n} 篇文章', suggestions: '推荐问题', you: '您', assistant: '助手', powered: '由 Engage 提供支持',
  },
};

export function stringsFor(lang: string): Strings {
  return TABLES[lang] || TABLES.en;
}

export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));
}
