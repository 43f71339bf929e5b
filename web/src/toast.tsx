// Short success and error messages ("toasts"), from antd's message hook: the
// console's only global notification, kept out of the Modal/Notification
// machinery that antd's App component would pull into the first download.
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import message from 'antd/es/message';
import type { MessageInstance } from 'antd/es/message/interface';

const ToastContext = createContext<MessageInstance | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [api, holder] = message.useMessage({ maxCount: 3, duration: 5 });
  return (
    <ToastContext.Provider value={api}>
      {holder}
      {children}
    </ToastContext.Provider>
  );
}

export function useToast(): MessageInstance {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast outside ToastProvider');
  return api;
}
