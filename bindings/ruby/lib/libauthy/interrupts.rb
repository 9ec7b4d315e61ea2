# frozen_string_literal: true

module Authy
  module Native
    # Cancels the calls of threads that have an exception pending. A thread blocked in a C call
    # (the GVL released) receives an exception from Timeout.timeout or Thread#raise only once
    # the call returns; so while calls run, one watcher thread per process looks every POLL
    # seconds at each calling thread's Thread#pending_interrupt? and cancels its call's token
    # (authy_cancel_cancel: the call returns within milliseconds, then Ruby raises).
    module Interrupts
      POLL = 0.005

      class << self
        # Runs the block (a C call made with `token`) watched for the calling thread.
        def watch(token)
          key = token.address
          setup
          @lock.synchronize do
            @calls[key] = [Thread.current, token]
            start_watcher unless @watcher&.alive?
            @wake.signal
          end
          begin
            yield
          ensure
            # Under the lock: the watcher never cancels a token after this (it is freed next).
            @lock.synchronize { @calls.delete(key) }
          end
        end

        private

        # Per process: a child of fork() has no watcher thread and its own calls.
        def setup
          return if @pid == Process.pid

          @lock = Mutex.new
          @wake = ConditionVariable.new
          @calls = {}
          @watcher = nil
          @pid = Process.pid
        end

        def start_watcher
          @watcher = Thread.new { loop { scan } }
          @watcher.name = "authy-interrupts" if @watcher.respond_to?(:name=)
          @watcher.report_on_exception = false
        end

        def scan
          @lock.synchronize do
            @wake.wait(@lock) while @calls.empty?
            @calls.delete_if do |_, (thread, token)|
              next false unless thread.pending_interrupt? || !thread.alive?

              C.authy_cancel_cancel(token, nil)
              true
            end
          end
          sleep POLL
        end
      end
    end
  end
end
