/// <reference types="vitest/config" />
import {defineConfig} from 'vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  plugins: [react()],
  build: {chunkSizeWarningLimit: 1500},
  test: {include: ['src/**/*.test.ts']},
})
